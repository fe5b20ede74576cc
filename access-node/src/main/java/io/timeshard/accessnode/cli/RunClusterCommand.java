package io.timeshard.accessnode.cli;

import io.timeshard.accessnode.AccessNode;
import io.timeshard.accessnode.AccessNodeConfig;
import io.timeshard.accessnode.cluster.LocalCluster;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The process behind {@code up}: owns the servers until it is signalled. Not for direct use. */
@Command(name = "run-cluster", hidden = true, description = "Run a local cluster in the foreground (used by up).")
final class RunClusterCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Option(names = "--data-nodes", defaultValue = "2")
    int dataNodes;

    @Override
    public Integer call() throws Exception {
        LocalCluster servers = LocalCluster.start(cluster.dir, cluster.port, dataNodes, System.out::println);
        AccessNode node = new AccessNode(new AccessNodeConfig("127.0.0.1", cluster.port, "127.0.0.1", cluster.port + 1,
                servers.accessNodeDatabase().superuser(), null));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            servers.close();
            stopped.countDown();
        }));
        node.start();
        Files.writeString(LocalClusterProcess.pidFile(cluster.dir), Long.toString(ProcessHandle.current().pid()));
        Files.writeString(cluster.dir.resolve("ready"), "ready\n");
        System.out.println("access node ready on 127.0.0.1:" + cluster.port);
        stopped.await();
        return 0;
    }
}
