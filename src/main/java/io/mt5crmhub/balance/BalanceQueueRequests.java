package io.mt5crmhub.balance;

import java.sql.SQLException;

import io.mt5crmhub.rabbitmq.PoisonMessageException;
import org.apache.camel.Body;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Balance requests arriving on the RabbitMQ queue {@code crm.balance.requests} (the same JSON as the API). The
 * message is acknowledged only after the request is stored (and, if its server is connected, sent); its outcome
 * goes out as a {@code balance.confirmed} or {@code balance.rejected} event. A request the API would answer with
 * 4xx (invalid, or its crmTxnId reused with other parameters) is a poison message: dead-lettered with the reason.
 */
public class BalanceQueueRequests {

    private static final Logger LOG = LoggerFactory.getLogger(BalanceQueueRequests.class);

    private final BalanceService service;
    private final BalanceRequestValidator validator;

    public BalanceQueueRequests(BalanceService service, BalanceRequestValidator validator) {
        this.service = service;
        this.validator = validator;
    }

    public void onMessage(@Body String body) throws SQLException {
        BalanceRequest request;
        try {
            request = validator.parse(body);
        } catch (InvalidBalanceRequestException e) {
            throw new PoisonMessageException("invalid balance request (HTTP " + e.status() + " on the API)"
                    + (e.field() == null ? "" : ", field " + e.field()) + ": " + e.getMessage());
        }
        try {
            BalanceOperation op = service.submit(request);
            LOG.debug("queued balance request {} is {}", op.crmTxnId(), op.state());
        } catch (BalanceConflictException e) {
            throw new PoisonMessageException("balance request conflict (HTTP 409 on the API): " + e.getMessage());
        }
    }
}
