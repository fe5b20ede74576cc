package io.timeshard.accessnode.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code timeshard up}: starts a local cluster in a folder and returns once everything answers. */
@Command(name = "up", description = "Start a local cluster: the access node database, N data nodes and the access node.")
final class UpCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Option(names = "--data-nodes", description = "Number of data nodes (default: ${DEFAULT-VALUE}).", defaultValue = "2")
    int dataNodes;

    @Override
    public Integer call() throws Exception {
        LocalClusterProcess.start(cluster.dir, cluster.port, dataNodes);
        System.out.println("Timeshard is up in " + cluster.dir.toAbsolutePath() + ":");
        System.out.println("  access node           127.0.0.1:" + cluster.port);
        System.out.println("  access node database  127.0.0.1:" + (cluster.port + 1));
        for (int i = 1; i <= dataNodes; i++) System.out.println("  data node dn" + i + "          127.0.0.1:" + (cluster.port + 1 + i));
        System.out.println("Connect:  " + cluster.psql("postgres"));
        System.out.println("Stop:     ./timeshard down --dir " + cluster.dir);
        return 0;
    }
}
