package io.timeshard.accessnode.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code timeshard} command line (DESIGN.md §8): {@code up}, {@code down}, {@code demo},
 * {@code serve}, {@code bench} (the TSBS devops benchmark). Exit codes: 0 on success, 1 on a failure it explains, 2 for bad usage.
 */
@Command(name = "timeshard", mixinStandardHelpOptions = true, version = "timeshard 0.1.0",
        description = "Distributed hypertables for PostgreSQL: an access node in front of PostgreSQL data nodes.",
        subcommands = {UpCommand.class, DownCommand.class, DemoCommand.class, ServeCommand.class, RunClusterCommand.class, BenchCommand.class})
public final class Timeshard implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Entry point. */
    public static void main(String[] args) {
        int code = new CommandLine(new Timeshard())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    System.err.println("error: " + e.getMessage());
                    return 1;
                })
                .execute(args);
        System.exit(code);
    }
}
