package io.mt5crmhub.balance;

import java.math.BigDecimal;
import java.time.Instant;

import io.mt5crmhub.event.DealAction;

/**
 * A stored balance operation: the CRM's request, what MT5 is sent ({@code mt5Action}, signed {@code mt5Amount},
 * comment {@code reference}) and where it stands. {@code dealTicket}, {@code retcode} and {@code reason} are null
 * until known.
 */
public record BalanceOperation(String crmTxnId, String server, long login, BalanceType type, BigDecimal amount,
        String comment, DealAction mt5Action, BigDecimal mt5Amount, String reference, String requestHash,
        BalanceState state, Long dealTicket, Integer retcode, String reason, Instant createdAt, Instant sentAt,
        Instant updatedAt) {

    /** A new request, not yet sent. */
    public static BalanceOperation received(BalanceRequest request, Instant now) {
        return new BalanceOperation(request.crmTxnId(), request.server(), request.login(), request.type(),
                request.amount(), request.comment(), request.type().action(),
                request.type().mt5Amount(request.amount()), BalanceReference.of(request.crmTxnId()),
                request.parametersHash(), BalanceState.RECEIVED, null, null, null, now, null, now);
    }
}
