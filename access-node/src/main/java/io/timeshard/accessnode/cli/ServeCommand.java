package io.timeshard.accessnode.cli;

import io.timeshard.accessnode.AccessNode;
import io.timeshard.accessnode.AccessNodeConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code timeshard serve}: the access node against an existing access node database. */
@Command(name = "serve", description = "Run the access node in the foreground against an existing access node database.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--listen", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--port", defaultValue = "6432", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--database-host", defaultValue = "127.0.0.1", description = "Access node database host.")
    String databaseHost;

    @Option(names = "--database-port", defaultValue = "5432", description = "Access node database port.")
    int databasePort;

    @Option(names = "--user", defaultValue = "postgres", description = "Superuser for the catalog and the data nodes.")
    String user;

    @Option(names = "--password-env", description = "Environment variable holding that user's password.")
    String passwordEnv;

    @Override
    public Integer call() throws Exception {
        String password = passwordEnv == null ? null : System.getenv(passwordEnv);
        AccessNode node = new AccessNode(new AccessNodeConfig(listen, port, databaseHost, databasePort, user, password));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }));
        node.start();
        System.out.println("access node listening on " + listen + ":" + port);
        stopped.await();
        return 0;
    }
}
