package io.timeshard.accessnode.session;

import io.timeshard.accessnode.AccessNodeConfig;
import io.timeshard.accessnode.wire.PgProtocolClient;
import java.security.MessageDigest;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live sessions of the access node, for CancelRequest: a cancel whose (process id, secret key)
 * matches a session is forwarded to that session's backend on the access node database (protocol
 * chapter "Canceling Requests in Progress"). Keys are compared in constant time. Thread-safe.
 */
public final class SessionRegistry {
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final AccessNodeConfig config;

    /** @param config where the access node database runs */
    public SessionRegistry(AccessNodeConfig config) {
        this.config = config;
    }

    void add(Session s) { sessions.add(s); }

    void remove(Session s) { sessions.remove(s); }

    /** @return the number of live sessions */
    public int size() { return sessions.size(); }

    /**
     * Forwards a cancel to the matching session's backend and to the data nodes running its remote
     * reads; unknown keys are ignored, as PostgreSQL does.
     */
    public void cancel(int processId, int secretKey) {
        for (Session s : sessions) {
            boolean match = MessageDigest.isEqual(
                    ByteBuffer.allocate(8).putInt(s.processId()).putInt(s.secretKey()).array(),
                    ByteBuffer.allocate(8).putInt(processId).putInt(secretKey).array());
            if (match) s.cancelRemoteReads();
            if (match && s.backend() != null) {
                PgProtocolClient c = s.backend().client();
                PgProtocolClient.cancel(config.databaseHost(), config.databasePort(), c.backendPid(), c.backendSecret());
            }
        }
    }
}
