package io.mt5crmhub.balance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The MT5 deal comment that carries a balance operation's identity: MT5 keeps 32 characters of a comment, so the
 * reference is {@code crm:<crmTxnId>} when that fits, else {@code crm#} and 22 characters of the SHA-256 of the
 * id (URL-safe base64, 132 bits). '#' is not allowed in a crmTxnId, so the two forms never meet; the reference is
 * stored with the request (unique per server), so the hub maps a deal's comment back by looking it up.
 */
public final class BalanceReference {

    public static final int MAX_LENGTH = 32;
    static final String PLAIN_PREFIX = "crm:";
    static final String HASHED_PREFIX = "crm#";

    private BalanceReference() {
    }

    public static String of(String crmTxnId) {
        if (PLAIN_PREFIX.length() + crmTxnId.length() <= MAX_LENGTH) {
            return PLAIN_PREFIX + crmTxnId;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(crmTxnId.getBytes(StandardCharsets.UTF_8));
            return HASHED_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a deal comment may be one of the hub's references (a cheap filter before a lookup). */
    public static boolean looksLikeReference(String comment) {
        return comment != null && comment.length() <= MAX_LENGTH
                && (comment.startsWith(PLAIN_PREFIX) || comment.startsWith(HASHED_PREFIX));
    }
}
