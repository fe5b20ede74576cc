package io.timeshard.accessnode.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code timeshard down}: stops the local cluster of a folder. */
@Command(name = "down", description = "Stop the local cluster of a folder (its data stays).")
final class DownCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Override
    public Integer call() throws Exception {
        boolean stopped = LocalClusterProcess.stop(cluster.dir);
        System.out.println(stopped ? "Stopped the cluster in " + cluster.dir.toAbsolutePath()
                : "No cluster is running in " + cluster.dir.toAbsolutePath());
        return 0;
    }
}
