package io.mt5crmhub.balance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The MT5 deal comment that carries a balance operation's identity. The Web API keeps 32 characters of a comment, the
 * Manager API DLL 31 (it copies the comment into 32 units with the terminator), so the reference has at most 31 and
 * looks the same on every gateway: {@code crm:<crmTxnId>} when that fits, else {@code crm#} and 22 characters of
 * the SHA-256 of the id (URL-safe base64, 132 bits). '#' is not allowed in a crmTxnId, so the two forms never meet; the reference is
 * stored with the request (unique per server), so the hub maps a deal's comment back by looking it up.
 */
public final class BalanceReference {

    public static final int MAX_LENGTH = 31;
    /** References stored before the limit was 31 may be 32 long; deals carrying them are still recognised. */
    private static final int LONGEST_STORED = 32;
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
        return comment != null && comment.length() <= LONGEST_STORED
                && (comment.startsWith(PLAIN_PREFIX) || comment.startsWith(HASHED_PREFIX));
    }
}
