package io.timeshard.accessnode.ingest;

import io.timeshard.accessnode.metadata.DatabaseCatalog;
import io.timeshard.accessnode.session.Session;
import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.model.Chunk;
import io.timeshard.catalog.model.Hypertable;
import io.timeshard.catalog.model.Identifiers;
import io.timeshard.datanode.copy.NodeCopyStream;
import io.timeshard.datanode.pool.DataNodePools;
import io.timeshard.datanode.txn.RemoteTransaction;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the rows of one statement to the data nodes: each row goes to every replica of its chunk,
 * through one {@code COPY … FROM STDIN} stream per data node, all nodes in parallel, inside the
 * session's distributed transaction (DESIGN.md §4). Missing chunks are created on the way (the
 * node's COPY is ended, the chunk DDL runs, a new COPY starts).
 *
 * <p>An error a data node reports for a row is given back with the client's line number: each
 * stream remembers which client line each of its rows came from. Not thread-safe.
 */
final class DistributedWriter {
    private static final int FLUSH_BYTES = 256 * 1024;
    private static final Pattern LINE = Pattern.compile("line (\\d+)");

    private final Session session;
    private final DataNodePools pools;
    private final DatabaseCatalog catalog;
    private final ChunkCreator chunks;
    private final String copySql;
    private final byte[] header;
    private final byte[] trailer;
    private final String sessionSettings;
    private final Map<String, NodeStream> streams = new LinkedHashMap<>();
    private long rows;

    /**
     * A data node's current COPY stream, its pending bytes, and per row sent: the line it ends on in
     * this stream (as the data node counts lines) and in the client's input.
     */
    private static final class NodeStream {
        final RemoteTransaction txn;
        NodeCopyStream stream;
        byte[] buf = new byte[FLUSH_BYTES + 8192];
        int len;
        long[] lines = new long[1024];
        long[] streamLineEnds = new long[1024];
        int lineCount;
        long streamLines;

        NodeStream(RemoteTransaction txn) {
            this.txn = txn;
        }
    }

    /**
     * @param copySql COPY statement for the data nodes (same table name as on the access node)
     * @param header  bytes to send first on every stream (the binary COPY header), or empty
     * @param trailer bytes to send last on every stream (the binary COPY trailer), or empty
     */
    DistributedWriter(Session session, DataNodePools pools, DatabaseCatalog catalog, Hypertable ht, String copySql,
                      byte[] header, byte[] trailer) {
        this.session = session;
        this.pools = pools;
        this.catalog = catalog;
        this.chunks = new ChunkCreator(catalog, session.txn(), ht,
                session.out()::notice);
        this.copySql = copySql;
        this.header = header;
        this.trailer = trailer;
        Map<String, String> ps = session.backend().client().parameterStatus();
        // Text input on the data node must be read as the client's session would read it.
        this.sessionSettings = "SET LOCAL TimeZone TO " + Identifiers.literal(ps.getOrDefault("TimeZone", "UTC"))
                + "; SET LOCAL DateStyle TO " + Identifiers.literal(ps.getOrDefault("DateStyle", "ISO, MDY"))
                + "; SET LOCAL IntervalStyle TO " + Identifiers.literal(ps.getOrDefault("IntervalStyle", "postgres"));
    }

    /** @return the chunk for the point, creating it (and its tables on the replica nodes) if missing */
    Chunk route(long time, int hash) {
        Chunk c = chunks.find(time, hash);
        if (c != null) return c;
        c = chunks.create(time, hash);
        if (isPending(c)) {
            String ddl = chunks.dataNodeDdl(c);
            for (String nodeName : c.dataNodes()) {
                NodeStream ns = stream(nodeName);
                endCopy(ns);
                ns.txn.execute(ddl);
            }
            markCreated(c);
        }
        return c;
    }

    /** @return true when {@code c} was created by this transaction and its tables do not exist yet */
    private boolean isPending(Chunk c) {
        if (session.txn().createdOnNodes().contains(c.id())) return false;
        for (var p : session.txn().pendingChunks()) {
            if (p.chunk().id() == c.id()) return true;
        }
        return false;
    }

    private void markCreated(Chunk c) {
        session.txn().createdOnNodes().add(c.id());
    }

    /**
     * Queues one row (whole, in the stream's format) for every replica of {@code chunk}.
     *
     * @param clientLine     the line the row ends on in the client's input (for error messages)
     * @param quotedNewlines newlines inside the row (quoted CSV fields), which the data node counts as lines
     */
    void write(Chunk chunk, byte[] row, int off, int len, long clientLine, int quotedNewlines) {
        for (String nodeName : chunk.dataNodes()) {
            NodeStream ns = stream(nodeName);
            if (ns.stream == null) open(ns);
            if (ns.len + len > ns.buf.length) {
                if (len > ns.buf.length / 2) {
                    flush(ns);
                    ns.buf = Arrays.copyOf(ns.buf, Math.max(ns.buf.length, len * 2));
                } else {
                    flush(ns);
                }
            }
            System.arraycopy(row, off, ns.buf, ns.len, len);
            ns.len += len;
            if (ns.lineCount == ns.lines.length) {
                ns.lines = Arrays.copyOf(ns.lines, ns.lines.length * 2);
                ns.streamLineEnds = Arrays.copyOf(ns.streamLineEnds, ns.lines.length);
            }
            ns.streamLines += 1 + quotedNewlines;
            ns.streamLineEnds[ns.lineCount] = ns.streamLines;
            ns.lines[ns.lineCount++] = clientLine;
            if (ns.len >= FLUSH_BYTES) flush(ns);
        }
        rows++;
    }

    /**
     * Ends every stream and waits for every node.
     *
     * @return the number of rows written (each counted once, whatever the replication factor)
     * @throws PgException the first node's error, with the client's line number
     */
    long finish() {
        for (NodeStream ns : streams.values()) endCopy(ns);
        return rows;
    }

    /** Abandons every stream (the distributed transaction is rolled back afterwards). */
    void abort() {
        for (NodeStream ns : streams.values()) {
            if (ns.stream != null) ns.stream.abort();
            ns.stream = null;
        }
    }

    private NodeStream stream(String nodeName) {
        NodeStream ns = streams.get(nodeName);
        if (ns == null) {
            RemoteTransaction txn = session.txn().distributed(pools).participant(catalog.dataNode(nodeName));
            if (session.txn().settingsApplied().add(nodeName)) txn.execute(sessionSettings);
            ns = new NodeStream(txn);
            streams.put(nodeName, ns);
        }
        return ns;
    }

    private void open(NodeStream ns) {
        ns.stream = NodeCopyStream.open(ns.txn, copySql);
        ns.lineCount = 0;
        ns.streamLines = 0;
        if (header.length > 0) {
            System.arraycopy(header, 0, ns.buf, 0, header.length);
            ns.len = header.length;
        }
    }

    private void flush(NodeStream ns) {
        if (ns.len == 0 || ns.stream == null) return;
        try {
            ns.stream.write(Arrays.copyOf(ns.buf, ns.len));
        } catch (PgException e) {
            throw withClientLine(ns, e);
        }
        ns.len = 0;
    }

    private void endCopy(NodeStream ns) {
        if (ns.stream == null) return;
        if (trailer.length > 0) {
            if (ns.len + trailer.length > ns.buf.length) flush(ns);
            System.arraycopy(trailer, 0, ns.buf, ns.len, trailer.length);
            ns.len += trailer.length;
        }
        flush(ns);
        try {
            ns.stream.finish();
        } catch (PgException e) {
            throw withClientLine(ns, e);
        } finally {
            ns.stream = null;
        }
    }

    /** Rewrites "line N" of a data node's COPY error context into the client's line number. */
    private static PgException withClientLine(NodeStream ns, PgException e) {
        String ctx = e.context();
        if (ctx == null) return e;
        Matcher m = LINE.matcher(ctx);
        if (m.find()) {
            long nodeLine = Long.parseLong(m.group(1));
            int row = Arrays.binarySearch(ns.streamLineEnds, 0, ns.lineCount, nodeLine);
            if (row < 0) row = -row - 1; // the row whose lines include nodeLine
            if (row < ns.lineCount) {
                long clientLine = ns.lines[row] - (ns.streamLineEnds[row] - nodeLine);
                ctx = m.replaceFirst("line " + clientLine);
            }
        }
        // Report the node's error as the client's own COPY would: the message without the node prefix is
        // what PostgreSQL prints; keep the prefix so the user knows which node refused the row.
        return new PgException(e.sqlState(), e.getMessage(), e).detail(e.detail()).hint(e.hint()).context(ctx);
    }
}
