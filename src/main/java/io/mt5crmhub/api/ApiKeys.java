package io.mt5crmhub.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * The bearer keys of the hub's API ({@code hub.api.keys}, a comma list). A presented key is compared with every
 * configured key through their SHA-256 digests with {@link MessageDigest#isEqual}, so the time taken says nothing
 * about how much of a key matched or which key it was. Keys are never logged or echoed.
 */
public final class ApiKeys {

    private final List<byte[]> digests;

    private ApiKeys(List<byte[]> digests) {
        this.digests = digests;
    }

    public static ApiKeys parse(String commaList) {
        if (commaList == null) {
            return new ApiKeys(List.of());
        }
        return new ApiKeys(Arrays.stream(commaList.split(",")).map(String::trim).filter(k -> !k.isEmpty())
                .map(ApiKeys::digest).toList());
    }

    public boolean isEmpty() {
        return digests.isEmpty();
    }

    public int size() {
        return digests.size();
    }

    /** Whether an {@code Authorization} header value is {@code Bearer <a configured key>}. */
    public boolean allows(String authorization) {
        if (authorization == null || digests.isEmpty()) {
            return false;
        }
        String value = authorization.trim();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = digest(value.substring(7).trim());
        boolean allowed = false;
        for (byte[] key : digests) {
            allowed |= MessageDigest.isEqual(key, presented);
        }
        return allowed;
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
