package io.timeshard.accessnode.wire;

import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of one SCRAM-SHA-256 exchange without channel binding (RFC 5802, RFC 7677), as
 * PostgreSQL uses it (documentation, "SASL Authentication"): the user name in the messages is
 * empty because the server takes it from the StartupMessage.
 *
 * <p>The password is used as its UTF-8 bytes without SASLprep, which equals SASLprep for ASCII
 * passwords; PostgreSQL itself falls back to the raw bytes when SASLprep fails. Single use; not
 * thread-safe. Errors: {@link PgException} 08P01 for a malformed or inconsistent server message,
 * 28P01 when the server's signature does not prove it knows the password.
 */
final class ScramSha256Client {
    static final String MECHANISM = "SCRAM-SHA-256";
    private static final String GS2_HEADER = "n,,";

    private final byte[] password;
    private final String clientNonce;
    private final String clientFirstBare;
    private byte[] expectedServerSignature;

    ScramSha256Client(String password, SecureRandom random) {
        this.password = password.getBytes(StandardCharsets.UTF_8);
        byte[] nonce = new byte[18];
        random.nextBytes(nonce);
        this.clientNonce = Base64.getEncoder().encodeToString(nonce);
        this.clientFirstBare = "n=,r=" + clientNonce;
    }

    /** The client-first-message, sent in SASLInitialResponse. */
    byte[] clientFirstMessage() {
        return (GS2_HEADER + clientFirstBare).getBytes(StandardCharsets.UTF_8);
    }

    /** Checks the server-first-message and returns the client-final-message (with the proof). */
    byte[] clientFinalMessage(byte[] serverFirstBytes) {
        String serverFirst = new String(serverFirstBytes, StandardCharsets.UTF_8);
        Map<Character, String> attributes = attributes(serverFirst);
        String nonce = attributes.get('r');
        String salt = attributes.get('s');
        String iterations = attributes.get('i');
        if (nonce == null || salt == null || iterations == null || !nonce.startsWith(clientNonce)
                || nonce.length() == clientNonce.length()) {
            throw Wire.protocolViolation("invalid SCRAM server-first-message from the server");
        }
        int count;
        byte[] saltBytes;
        try {
            count = Integer.parseInt(iterations);
            saltBytes = Base64.getDecoder().decode(salt);
        } catch (IllegalArgumentException e) {
            throw Wire.protocolViolation("invalid SCRAM salt or iteration count from the server");
        }
        if (count < 1) {
            throw Wire.protocolViolation("invalid SCRAM iteration count " + count + " from the server");
        }
        String clientFinalWithoutProof = "c=" + Base64.getEncoder().encodeToString(
                GS2_HEADER.getBytes(StandardCharsets.UTF_8)) + ",r=" + nonce;
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + clientFinalWithoutProof)
                .getBytes(StandardCharsets.UTF_8);

        byte[] saltedPassword = hi(password, saltBytes, count);
        byte[] clientKey = hmac(saltedPassword, "Client Key".getBytes(StandardCharsets.UTF_8));
        byte[] storedKey = sha256(clientKey);
        byte[] clientSignature = hmac(storedKey, authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
        }
        byte[] serverKey = hmac(saltedPassword, "Server Key".getBytes(StandardCharsets.UTF_8));
        expectedServerSignature = hmac(serverKey, authMessage);
        return (clientFinalWithoutProof + ",p=" + Base64.getEncoder().encodeToString(proof))
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Checks the server-final-message's signature. */
    void verifyServerFinal(byte[] serverFinalBytes) {
        Map<Character, String> attributes = attributes(new String(serverFinalBytes, StandardCharsets.UTF_8));
        if (attributes.containsKey('e')) {
            throw new PgException(SqlState.INVALID_PASSWORD, "SCRAM authentication failed: " + attributes.get('e'));
        }
        String verifier = attributes.get('v');
        byte[] signature;
        try {
            signature = verifier == null ? null : Base64.getDecoder().decode(verifier);
        } catch (IllegalArgumentException e) {
            signature = null;
        }
        if (expectedServerSignature == null || signature == null
                || !MessageDigest.isEqual(signature, expectedServerSignature)) {
            throw new PgException(SqlState.INVALID_PASSWORD, "incorrect SCRAM server signature")
                    .detail("The server did not prove that it knows the password.");
        }
    }

    private static Map<Character, String> attributes(String message) {
        Map<Character, String> attributes = new HashMap<>();
        for (String part : message.split(",")) {
            if (part.length() >= 2 && part.charAt(1) == '=') {
                attributes.putIfAbsent(part.charAt(0), part.substring(2));
            }
        }
        return attributes;
    }

    /** Hi() of RFC 5802 section 2.2, i.e. PBKDF2 with HMAC-SHA-256 and one output block. */
    private static byte[] hi(byte[] password, byte[] salt, int iterations) {
        byte[] block = new byte[salt.length + 4];
        System.arraycopy(salt, 0, block, 0, salt.length);
        block[block.length - 1] = 1;
        Mac mac = mac(password);
        byte[] u = mac.doFinal(block);
        byte[] result = u.clone();
        for (int i = 1; i < iterations; i++) {
            u = mac.doFinal(u);
            for (int j = 0; j < result.length; j++) {
                result[j] ^= u[j];
            }
        }
        return result;
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        return mac(key).doFinal(data);
    }

    private static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
