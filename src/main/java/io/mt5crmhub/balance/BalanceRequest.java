package io.mt5crmhub.balance;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/** A validated balance operation asked for by the CRM; see {@link BalanceRequestValidator}. */
public record BalanceRequest(String crmTxnId, String server, long login, BalanceType type, BigDecimal amount,
        String comment) {

    public BalanceRequest {
        Objects.requireNonNull(crmTxnId, "crmTxnId");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(amount, "amount");
    }

    /**
     * SHA-256 of the parameters, to tell a repeat of this request from a different request reusing its crmTxnId.
     * The amount is compared by value ({@code 250.0} and {@code 250.00} are the same request).
     */
    public String parametersHash() {
        String canonical = server + '\n' + login + '\n' + type + '\n' + amount.stripTrailingZeros().toPlainString()
                + '\n' + (comment == null ? "" : comment);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
