package io.mt5crmhub.gateway.webapi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.BalanceOrder;
import io.mt5crmhub.gateway.BalanceResult;
import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.Mt5Dealer;
import io.mt5crmhub.gateway.Mt5Retcode;
import io.mt5crmhub.gateway.RequestNotSentException;
import io.mt5crmhub.gateway.webapi.WebApiJson.DealRecord;

/**
 * Balance operations through the Web API ({@code /api/trade/balance}) and the deal look-up that makes them safe to
 * repeat. What MT5's answer says for certain (done, or definitely refused) is a result; everything else leaves the
 * outcome unknown, and the operation is looked up, never sent again blindly.
 */
final class WebApiDealer implements Mt5Dealer {

    /**
     * Balance retcodes that say for certain the operation was not done: bad parameters, no permission, no such
     * login, over the per-operation limit, not enough money. Any other code (2 common error, 9 timeout, a trade
     * server's own) leaves the outcome unknown: looked up, never taken as a refusal, for a refusal lets the CRM pay
     * again under a new id while the first operation may still land.
     */
    private static final Set<Integer> DEFINITE_REFUSALS = Set.of(Mt5Retcode.ERR_PARAMS, Mt5Retcode.ERR_PERMISSIONS,
            Mt5Retcode.ERR_NOTFOUND, Mt5Retcode.TRADE_MAX_MONEY, Mt5Retcode.REQUEST_NO_MONEY);
    static final int MAX_COMMENT = 32;

    private final String serverId;
    private final WebApiSession session;
    private final WebApiReads reads;
    private final ServerClock clock;
    private final Supplier<Instant> now;

    WebApiDealer(WebApiSettings settings, WebApiSession session, WebApiReads reads, Supplier<Instant> now) {
        this.serverId = settings.serverId();
        this.session = session;
        this.reads = reads;
        this.clock = settings.clock();
        this.now = now;
    }

    @Override
    public String serverId() {
        return serverId;
    }

    /**
     * {@code /api/trade/balance}, sent once. MT5's refusal is a result; no answer (timeout, lost connection, a
     * server error) is a {@link GatewayException}: the operation may have happened, look it up with
     * {@link #findDeals} and never send it again blindly. The one repeat is after HTTP 403, which says the
     * session had expired and the command was not run.
     */
    @Override
    public BalanceResult balance(BalanceOrder order) throws GatewayException {
        if (order.comment().length() > MAX_COMMENT) {
            return BalanceResult.refused(Mt5Retcode.ERR_PARAMS, "comment longer than " + MAX_COMMENT
                    + " characters: MT5 would cut it and the operation could not be found again; not sent");
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("login", Long.toString(order.login()));
        params.put("type", Integer.toString(order.type().code()));
        params.put("balance", order.amount().toPlainString());
        params.put("comment", order.comment());
        params.put("check_margin", "1");
        WebApiClient current = session.client();
        if (current == null) {
            throw new RequestNotSentException(Mt5Retcode.ERR_CONNECTION, "webapi gateway " + serverId + " is not"
                    + " connected: the balance operation on login " + order.login() + " was not sent", null);
        }
        try {
            WebApiJson.Envelope answer = current.command("/api/trade/balance", params);
            return BalanceResult.done(WebApiJson.balanceTicket(answer.answer()));
        } catch (WebApiException e) {
            // flood control turns the command away before it runs
            if ((e.kind() == WebApiException.Kind.REFUSED && DEFINITE_REFUSALS.contains(e.retcode()))
                    || e.kind() == WebApiException.Kind.FLOOD) {
                return BalanceResult.refused(e.retcode(), e.getMessage());
            }
            if (e.requestNotSent()) {
                throw new RequestNotSentException(e.retcode(), "balance operation on login " + order.login()
                        + " was not sent (" + e.getMessage() + "): it may be sent again", e);
            }
            throw new GatewayException(e.kind() == WebApiException.Kind.TIMEOUT ? Mt5Retcode.ERR_TIMEOUT
                    : Mt5Retcode.ERR_CONNECTION, "balance operation on login " + order.login() + " has an unknown"
                            + " outcome (" + e.getMessage() + "): look it up before sending it again", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException(Mt5Retcode.ERR_TIMEOUT, "interrupted while waiting for the answer to a balance"
                    + " operation on login " + order.login() + ": the outcome is unknown");
        }
    }

    @Override
    public List<Mt5Event> findDeals(long login, String comment, Instant since) throws GatewayException {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("login", Long.toString(login));
        params.put("from", Long.toString(clock.toServerSeconds(since)));
        params.put("to", Long.toString(clock.toServerSeconds(now.get().plus(DealPoller.HORIZON))));
        return WebApiReads.interruptible("looking up deals", () -> {
            List<DealRecord> found = new ArrayList<>();
            for (JsonNode node : WebApiJson.records(session.require().get("/api/deal/get_batch", params).answer())) {
                DealRecord deal = reads.classified(node);
                if (deal != null && deal.login() == login && comment.equals(deal.deal().comment())
                        && !deal.time().isBefore(since)) {
                    found.add(deal);
                }
            }
            found.sort(Comparator.comparing(DealRecord::time).thenComparing(d -> d.deal().ticket()));
            return reads.dealEvents(found);
        });
    }
}
