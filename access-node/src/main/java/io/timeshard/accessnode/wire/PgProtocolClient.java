package io.timeshard.accessnode.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A blocking client for the raw v3 protocol over one TCP socket, used to relay a client's messages
 * to a PostgreSQL backend and copy the backend's frames back unchanged. Message layouts and the
 * start-up exchange follow the PostgreSQL documentation, "Message Flow" → "Start-up" and "Message
 * Formats"; authentication supports trust, cleartext password, MD5 and SCRAM-SHA-256 (no TLS, so
 * no channel binding).
 *
 * <p>Not thread-safe: one thread (typically a session's own thread) sends and reads; only
 * {@link #parameterStatus()} may be read from other threads, and {@link #cancel} is static. Every
 * I/O failure raises {@link PgException} 08006 connection_failure (08001 while connecting); an
 * ErrorResponse during start-up raises the backend's own error.
 */
public final class PgProtocolClient implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String host;
    private final int port;
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final ByteBuf sendBuffer = Unpooled.buffer(8192);
    private final Map<String, String> parameterStatus = new ConcurrentHashMap<>();
    private final Map<String, String> parameterStatusView = Collections.unmodifiableMap(parameterStatus);
    private int backendPid;
    private int backendSecret;
    private char transactionStatus = 'I';
    private Runnable onIdle;

    /**
     * @param listener run (on the reading thread) whenever a ReadyForQuery reports the server idle, i.e.
     *                 outside a transaction block: whatever the session did is committed or rolled back
     */
    public void onIdle(Runnable listener) {
        this.onIdle = listener;
    }
    private boolean closed;

    private PgProtocolClient(String host, int port, Socket socket) throws IOException {
        this.host = host;
        this.port = port;
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 65536));
        this.out = new BufferedOutputStream(socket.getOutputStream(), 65536);
    }

    /**
     * Opens a connection, sends a protocol 3.0 StartupMessage with {@code startupParameters},
     * authenticates and returns after the first ReadyForQuery.
     *
     * @param startupParameters {@code user} (required), {@code database}, {@code application_name},
     *                          {@code client_encoding}, {@code DateStyle}, {@code TimeZone},
     *                          {@code options}…, sent in iteration order
     * @param password          used when the server asks for one; null when none is known
     * @throws PgException the backend's error (e.g. 28P01, 3D000) when it refuses the start-up;
     *                     08001 when the socket cannot be opened, no password is known but one is
     *                     asked for, or the server asks for an unsupported method; 08P01 when the
     *                     server breaks the protocol
     */
    public static PgProtocolClient connect(String host, int port, Map<String, String> startupParameters,
                                           String password) {
        Objects.requireNonNull(startupParameters, "startupParameters");
        Socket socket = new Socket();
        PgProtocolClient client;
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
            client = new PgProtocolClient(host, port, socket);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new PgException(SqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
                    "could not connect to server at " + host + ":" + port + ": " + e.getMessage(), e);
        }
        try {
            client.startUp(startupParameters, password);
            return client;
        } catch (RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    private void startUp(Map<String, String> parameters, String password) {
        send(new FrontendMessage.StartupMessage(3, 0, parameters));
        flush();
        String user = parameters.getOrDefault("user", "");
        ScramSha256Client scram = null;
        while (true) {
            BackendFrame frame = read();
            switch (frame.kind()) {
                case 'R' -> scram = authenticate(frame, user, password, scram);
                case 'E' -> throw frame.toException();
                case 'K' -> {
                    ByteBuf body = Unpooled.wrappedBuffer(frame.body());
                    backendPid = body.readInt();
                    backendSecret = body.readInt();
                }
                case 'Z' -> {
                    return;
                }
                default -> { } // ParameterStatus is recorded by read(); NoticeResponse, NegotiateProtocolVersion ignored
            }
        }
    }

    /** Answers one authentication request; returns the SCRAM exchange in progress, if any. */
    private ScramSha256Client authenticate(BackendFrame frame, String user, String password, ScramSha256Client scram) {
        ByteBuf body = Unpooled.wrappedBuffer(frame.body());
        int code = body.readInt();
        switch (code) {
            case 0 -> { }
            case 3 -> {
                sendPassword(requirePassword(password, "password"));
                flush();
            }
            case 5 -> {
                byte[] salt = new byte[4];
                body.readBytes(salt);
                sendPassword(md5Password(user, requirePassword(password, "md5"), salt));
                flush();
            }
            case 10 -> {
                List<String> mechanisms = new ArrayList<>();
                for (String m = Wire.readCString(body); !m.isEmpty(); m = Wire.readCString(body)) {
                    mechanisms.add(m);
                }
                if (!mechanisms.contains(ScramSha256Client.MECHANISM)) {
                    throw new PgException(SqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
                            "none of the server's SASL authentication mechanisms are supported")
                            .detail("The server offers " + String.join(", ", mechanisms) + ".");
                }
                scram = new ScramSha256Client(requirePassword(password, "SCRAM-SHA-256"), RANDOM);
                byte[] first = scram.clientFirstMessage();
                ByteBuf initial = Unpooled.buffer();
                Wire.writeCString(initial, ScramSha256Client.MECHANISM);
                initial.writeInt(first.length);
                initial.writeBytes(first);
                send(new FrontendMessage.PasswordMessage(ByteBufUtil.getBytes(initial)));
                flush();
            }
            case 11 -> {
                send(new FrontendMessage.PasswordMessage(requireScram(scram).clientFinalMessage(rest(body))));
                flush();
            }
            case 12 -> requireScram(scram).verifyServerFinal(rest(body));
            default -> throw new PgException(SqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
                    "authentication method " + code + " requested by the server at " + host + ":" + port
                            + " is not supported");
        }
        return scram;
    }

    private static ScramSha256Client requireScram(ScramSha256Client scram) {
        if (scram == null) {
            throw Wire.protocolViolation("SASL continuation from the server without a SASL exchange");
        }
        return scram;
    }

    private static byte[] rest(ByteBuf body) {
        return ByteBufUtil.getBytes(body, body.readerIndex(), body.readableBytes());
    }

    private String requirePassword(String password, String method) {
        if (password == null || password.isEmpty()) {
            throw new PgException(SqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
                    "the server at " + host + ":" + port + " requested " + method
                            + " authentication, but no password was provided");
        }
        return password;
    }

    private void sendPassword(String password) {
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        byte[] data = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, data, 0, bytes.length);
        send(new FrontendMessage.PasswordMessage(data));
    }

    /** PostgreSQL's MD5 response: "md5" + md5hex(md5hex(password + user) + salt). */
    static String md5Password(String user, String password, byte[] salt) {
        try {
            HexFormat hex = HexFormat.of();
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            String inner = hex.formatHex(md5.digest((password + user).getBytes(StandardCharsets.UTF_8)));
            md5.update(inner.getBytes(StandardCharsets.US_ASCII));
            md5.update(salt);
            return "md5" + hex.formatHex(md5.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every Java platform", e);
        }
    }

    /** Buffers {@code message}; nothing reaches the server before {@link #flush()}. */
    public void send(FrontendMessage message) {
        message.encode(sendBuffer);
        if (sendBuffer.readableBytes() >= 65536) {
            drainSendBuffer();
        }
    }

    /** Writes everything buffered to the socket. */
    public void flush() {
        drainSendBuffer();
        try {
            out.flush();
        } catch (IOException e) {
            throw lost(e);
        }
    }

    private void drainSendBuffer() {
        try {
            sendBuffer.readBytes(out, sendBuffer.readableBytes());
            sendBuffer.clear();
        } catch (IOException e) {
            throw lost(e);
        }
    }

    /**
     * Blocks until the next message arrives and returns it. Records ParameterStatus ('S') in
     * {@link #parameterStatus()} and the status of ReadyForQuery ('Z') in {@link
     * #transactionStatus()}. Does not flush pending output.
     *
     * @throws PgException 08006 on end of stream or I/O failure; 08P01 on a length below 4 or
     *                     above 1 GiB
     */
    public BackendFrame read() {
        try {
            byte type = in.readByte();
            int length = in.readInt();
            if (length < 4 || length > Wire.MAX_MESSAGE_LENGTH) {
                throw Wire.protocolViolation("invalid message length " + length + " from the server at "
                        + host + ":" + port);
            }
            byte[] body = new byte[length - 4];
            in.readFully(body);
            BackendFrame frame = new BackendFrame(type, body);
            switch (frame.kind()) {
                case 'S' -> {
                    String[] nameValue = frame.parameterStatus();
                    parameterStatus.put(nameValue[0], nameValue[1]);
                }
                case 'Z' -> {
                    transactionStatus = frame.readyStatus();
                    if (transactionStatus == 'I' && onIdle != null) onIdle.run();
                }
                default -> { }
            }
            return frame;
        } catch (IOException e) {
            throw lost(e);
        }
    }

    /** True when bytes from the server are already available, so {@link #read()} would not wait for the network. */
    public boolean hasBufferedInput() {
        try {
            return in.available() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Every ParameterStatus received so far (latest value per name); a live, unmodifiable view. */
    public Map<String, String> parameterStatus() {
        return parameterStatusView;
    }

    /** The backend's process id from BackendKeyData, 0 if none was sent. */
    public int backendPid() {
        return backendPid;
    }

    /** The backend's cancel secret from BackendKeyData, 0 if none was sent. */
    public int backendSecret() {
        return backendSecret;
    }

    /** The status of the last ReadyForQuery: 'I' idle, 'T' in a transaction block, 'E' failed block. */
    public char transactionStatus() {
        return transactionStatus;
    }

    /** Sends Terminate (best effort) and closes the socket. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            sendBuffer.clear();
            new FrontendMessage.Terminate().encode(sendBuffer);
            sendBuffer.readBytes(out, sendBuffer.readableBytes());
            out.flush();
        } catch (IOException | RuntimeException ignored) {
            // the connection is going away either way
        } finally {
            closeQuietly(socket);
        }
    }

    /**
     * Sends a CancelRequest for backend {@code pid}/{@code secret} on a new connection and closes it.
     * The server never answers; whether anything was cancelled is seen on the original connection.
     *
     * @throws PgException 08001 when the connection cannot be opened
     */
    public static void cancel(String host, int port, int pid, int secret) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
            ByteBuf buf = Unpooled.buffer(16);
            new FrontendMessage.CancelRequest(pid, secret).encode(buf);
            OutputStream out = socket.getOutputStream();
            out.write(ByteBufUtil.getBytes(buf));
            out.flush();
            // Like libpq, wait for the server to close, so the request has been handled on return.
            socket.setSoTimeout(CONNECT_TIMEOUT_MILLIS);
            try {
                socket.getInputStream().read();
            } catch (java.net.SocketTimeoutException | java.net.SocketException ignored) {
                // sent; the server's slowness to hang up is not our failure
            }
        } catch (IOException e) {
            throw new PgException(SqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
                    "could not send a cancel request to " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    private PgException lost(IOException e) {
        String detail = e instanceof EOFException ? "The server closed the connection unexpectedly." : e.getMessage();
        return new PgException(SqlState.CONNECTION_FAILURE,
                "lost the connection to the server at " + host + ":" + port, e)
                .detail(detail);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }
}
