package io.mt5crmhub.balance;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.mt5crmhub.api.ApiAnswers;
import io.mt5crmhub.api.ApiKeys;
import io.mt5crmhub.gateway.GatewayException;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of balance operations and reconciliation ({@code /api/v1/...}, see {@link BalanceApiRoutes}).
 * Every answer is JSON; errors are {@code {"error":"...","field":"..."}}. Nothing of the request's headers is
 * echoed back (the Authorization header above all).
 */
public class BalanceApi {

    private static final Logger LOG = LoggerFactory.getLogger(BalanceApi.class);

    private final ApiKeys keys;
    private final BalanceService service;
    private final BalanceRequestValidator validator;
    private final Reconciliation reconciliation;
    private final Duration confirmWait;
    private final Duration reconcileSettle;

    public BalanceApi(ApiKeys keys, BalanceService service, BalanceRequestValidator validator,
            Reconciliation reconciliation, Duration confirmWait, Duration reconcileSettle) {
        this.keys = keys;
        this.service = service;
        this.validator = validator;
        this.reconciliation = reconciliation;
        this.confirmWait = confirmWait;
        this.reconcileSettle = reconcileSettle;
    }

    /** {@code POST /api/v1/balance-operations}. */
    public void post(Exchange exchange) {
        if (!authorised(exchange)) {
            return;
        }
        byte[] body = exchange.getMessage().getBody(byte[].class);
        try {
            BalanceRequest request = validator.parse(body);
            BalanceOperation op = service.submit(request);
            if (!op.state().isFinal() && !confirmWait.isZero()) {
                op = service.awaitFinal(op.crmTxnId(), confirmWait).orElse(op);
            }
            respond(exchange, op.state().isFinal() ? 200 : 202, BalanceJson.operation(op));
        } catch (InvalidBalanceRequestException e) {
            respond(exchange, e.status(), BalanceJson.error(e.getMessage(), e.field()));
        } catch (BalanceConflictException e) {
            conflict(exchange, e.getMessage(), e.stored());
        } catch (SQLException e) {
            LOG.error("balance request not stored: {}", e.getMessage(), e);
            respond(exchange, 503, BalanceJson.error("the hub's store is unavailable; nothing was sent to MT5,"
                    + " retry with the same crmTxnId", null));
        }
    }

    /** {@code GET /api/v1/balance-operations/{crmTxnId}}. */
    public void get(Exchange exchange) {
        if (!authorised(exchange)) {
            return;
        }
        String id = exchange.getMessage().getHeader("crmTxnId", String.class);
        try {
            respondFound(exchange, id, id == null ? Optional.empty() : service.find(id));
        } catch (SQLException e) {
            respond(exchange, 503, BalanceJson.error("the hub's store is unavailable", null));
        }
    }

    /**
     * {@code POST /api/v1/balance-operations/{crmTxnId}/close} with {@code {"reason":"..."}}: an operator closes an
     * UNKNOWN operation after checking MT5 (see {@link BalanceService#closeUnknown}). 200 with the operation (REJECTED,
     * or CONFIRMED if the deal turned up), 404, 409 when it is not UNKNOWN, 503 when MT5 cannot be asked now.
     */
    public void close(Exchange exchange) {
        if (!authorised(exchange)) {
            return;
        }
        String id = exchange.getMessage().getHeader("crmTxnId", String.class);
        try {
            String reason = validator.parseCloseReason(exchange.getMessage().getBody(byte[].class));
            respondFound(exchange, id, id == null ? Optional.empty() : service.closeUnknown(id, reason));
        } catch (InvalidBalanceRequestException e) {
            respond(exchange, e.status(), BalanceJson.error(e.getMessage(), e.field()));
        } catch (BalanceNotClosableException e) {
            conflict(exchange, e.getMessage(), e.stored());
        } catch (GatewayException e) {
            respond(exchange, 503, BalanceJson.error(e.getMessage(), null));
        } catch (SQLException e) {
            respond(exchange, 503, BalanceJson.error("the hub's store is unavailable; nothing was changed", null));
        }
    }

    /** {@code GET /api/v1/reconciliation}: 200 with the report; {@code clean} says whether anything differs. */
    public void reconcile(Exchange exchange) throws InterruptedException {
        if (!authorised(exchange)) {
            return;
        }
        try {
            respond(exchange, 200, reconciliation.run(reconcileSettle).toJson());
        } catch (SQLException e) {
            respond(exchange, 503, BalanceJson.error("the hub's store is unavailable", null));
        }
    }

    private boolean authorised(Exchange exchange) {
        return ApiAnswers.authorised(exchange, keys);
    }

    /** 200 with the operation, or 404 naming the crmTxnId asked for. */
    private static void respondFound(Exchange exchange, String id, Optional<BalanceOperation> op) {
        if (op.isEmpty()) {
            respond(exchange, 404, BalanceJson.error("no balance operation with crmTxnId '" + clip(id) + "'",
                    "crmTxnId"));
        } else {
            respond(exchange, 200, BalanceJson.operation(op.get()));
        }
    }

    /** 409, with the operation as stored. */
    private static void conflict(Exchange exchange, String message, BalanceOperation stored) {
        Map<String, Object> error = BalanceJson.error(message, "crmTxnId");
        error.put("operation", BalanceJson.operation(stored));
        respond(exchange, 409, error);
    }

    private static void respond(Exchange exchange, int status, Object body) {
        ApiAnswers.respond(exchange, status, body);
    }

    private static String clip(String text) {
        return text == null ? "" : text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
