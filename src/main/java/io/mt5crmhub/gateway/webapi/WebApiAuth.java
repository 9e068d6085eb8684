package io.mt5crmhub.gateway.webapi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The MT5 Web API authentication arithmetic ({@code /api/auth/start} then {@code /api/auth/answer}), shared by
 * the client and the simulator server:
 * <pre>
 * pwd_hash        = MD5( MD5(UTF-16LE(password)) ‖ "WebAPI" )        raw 16-byte digests, not hex text
 * srv_rand_answer = hex( MD5( pwd_hash ‖ bytes(srv_rand) ) )          srv_rand arrives as hex
 * cli_rand_answer = hex( MD5( pwd_hash ‖ bytes(cli_rand) ) )          the server proves it knows the password too
 * </pre>
 */
public final class WebApiAuth {

    private static final byte[] SALT = "WebAPI".getBytes(StandardCharsets.US_ASCII);
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebApiAuth() {
    }

    /** {@code MD5(MD5(UTF-16LE(password)) ‖ "WebAPI")}, 16 bytes. */
    public static byte[] passwordHash(String password) {
        byte[] inner = md5(password.getBytes(StandardCharsets.UTF_16LE));
        return md5(inner, SALT);
    }

    /** The answer to a random challenge given as hex: {@code hex(MD5(passwordHash ‖ bytes(randHex)))}. */
    public static String answer(byte[] passwordHash, String randHex) {
        byte[] rand;
        try {
            rand = HEX.parseHex(randHex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the challenge '" + randHex + "' is not hex", e);
        }
        return HEX.formatHex(md5(passwordHash, rand));
    }

    /** Whether {@code answer} is the right answer to {@code randHex}, compared in constant time. */
    public static boolean verify(byte[] passwordHash, String randHex, String answer) {
        if (answer == null) {
            return false;
        }
        byte[] expected = answer(passwordHash, randHex).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, answer.trim().toLowerCase(java.util.Locale.ROOT)
                .getBytes(StandardCharsets.US_ASCII));
    }

    /** 16 random bytes as 32 lower-case hex digits: a {@code cli_rand} or {@code srv_rand}. */
    public static String randomHex() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HEX.formatHex(bytes);
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    private static byte[] md5(byte[]... parts) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            for (byte[] part : parts) {
                md5.update(part);
            }
            return md5.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
    }
}
