package io.mt5crmhub.component;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;

import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.event.EventJson;
import io.mt5crmhub.gateway.BalanceOrder;
import io.mt5crmhub.gateway.BalanceResult;
import io.mt5crmhub.gateway.Mt5Dealer;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code mt5:balance}: performs a deposit, withdrawal, credit or other balance operation (MT5
 * {@code DealerBalance}). The body is a {@link BalanceOrder}, or a map or JSON object with {@code login},
 * {@code type} (an MT5 deal action such as BALANCE), a signed {@code amount} and an optional {@code comment}.
 * <p>
 * On success the body becomes the {@link BalanceResult} and the headers carry the retcode and deal ticket.
 * A refusal by MT5 throws {@link Mt5BalanceRefusedException} with MT5's retcode. A failure with an unknown
 * outcome (timeout, lost connection) throws the gateway's exception: the operation may have been applied, so
 * it must be looked up, never blindly sent again. This producer never retries.
 */
public class Mt5BalanceProducer extends DefaultProducer {

    private final Mt5Endpoint endpoint;
    private Mt5Connection connection;

    public Mt5BalanceProducer(Mt5Endpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        connection = endpoint.getComponent().acquire(endpoint.producerServerId());
    }

    @Override
    protected void doStop() throws Exception {
        if (connection != null) {
            connection.release();
            connection = null;
        }
        super.doStop();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        BalanceOrder order = toOrder(exchange.getMessage().getBody());
        Mt5Dealer dealer = connection.dealer().orElseThrow(() -> new IllegalStateException("MT5 server "
                + connection.serverId() + " is read through the " + connection.gatewayName()
                + " gateway, which performs no balance operations"));
        BalanceResult result = dealer.balance(order);
        exchange.getMessage().setHeader(Mt5Constants.RETCODE, result.retcode());
        exchange.getMessage().setHeader(Mt5Constants.SERVER, connection.serverId());
        if (!result.isDone()) {
            throw new Mt5BalanceRefusedException(connection.serverId(), order, result);
        }
        exchange.getMessage().setHeader(Mt5Constants.DEAL_TICKET, result.dealTicket());
        exchange.getMessage().setBody(result);
    }

    static BalanceOrder toOrder(Object body) throws Exception {
        if (body instanceof BalanceOrder order) {
            return order;
        }
        Map<?, ?> map;
        if (body instanceof Map<?, ?> m) {
            map = m;
        } else if (body instanceof String || body instanceof byte[]) {
            String json = body instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : (String) body;
            map = EventJson.mapper().readValue(json, Map.class);
        } else {
            throw new IllegalArgumentException("mt5:balance needs a BalanceOrder, a map or a JSON object, got "
                    + (body == null ? "no body" : body.getClass().getName()));
        }
        long login = parseLogin(map.get("login"));
        DealAction type = parseType(map.get("type"));
        BigDecimal amount = parseAmount(map.get("amount"));
        Object comment = map.get("comment");
        return new BalanceOrder(login, type, amount, comment == null ? "" : comment.toString());
    }

    private static long parseLogin(Object value) {
        try {
            long login = value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value));
            if (login <= 0) {
                throw new NumberFormatException();
            }
            return login;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("mt5:balance: login must be a positive MT5 login, was " + value);
        }
    }

    private static DealAction parseType(Object value) {
        if (value == null) {
            throw new IllegalArgumentException("mt5:balance: type is missing (BALANCE, CREDIT, BONUS, ...)");
        }
        try {
            return DealAction.valueOf(value.toString().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mt5:balance: type '" + value + "' is not an MT5 deal action");
        }
    }

    private static BigDecimal parseAmount(Object value) {
        if (value == null) {
            throw new IllegalArgumentException("mt5:balance: amount is missing");
        }
        try {
            return value instanceof BigDecimal d ? d : new BigDecimal(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("mt5:balance: amount '" + value + "' is not a decimal number");
        }
    }
}
