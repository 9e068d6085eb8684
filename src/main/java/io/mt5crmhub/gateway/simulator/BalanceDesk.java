package io.mt5crmhub.gateway.simulator;

import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.Set;

import io.mt5crmhub.event.Deal;
import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.gateway.BalanceOrder;
import io.mt5crmhub.gateway.BalanceResult;
import io.mt5crmhub.gateway.GroupMask;
import io.mt5crmhub.gateway.Mt5Retcode;

/**
 * MT5 {@code DealerBalance} on the simulated books: the checks a trade server makes, in its order, and the deal
 * it books. Amounts are rounded to cents, as MT5 rounds to the deposit currency's digits.
 */
final class BalanceDesk {

    static final Set<DealAction> ALLOWED_TYPES = EnumSet.of(DealAction.BALANCE, DealAction.CREDIT, DealAction.CHARGE,
            DealAction.CORRECTION, DealAction.BONUS, DealAction.COMMISSION, DealAction.TAX, DealAction.DIVIDEND,
            DealAction.DIVIDEND_FRANKED);
    static final int MAX_COMMENT_LENGTH = 32;
    static final BigDecimal MAX_MONEY = new BigDecimal("1000000000");

    private final Books books;
    private final TradeDesk desk;
    private final GroupMask visible;

    BalanceDesk(Books books, TradeDesk desk, GroupMask visible) {
        this.books = books;
        this.desk = desk;
        this.visible = visible;
    }

    /** Null when the server would perform the order, else its refusal. */
    BalanceResult check(BalanceOrder order) {
        if (!ALLOWED_TYPES.contains(order.type())) {
            return refuse(Mt5Retcode.ERR_PARAMS, "deal type " + order.type() + " is not a balance operation");
        }
        BigDecimal amount = TradeMath.money(order.amount());
        if (amount.signum() == 0) {
            return refuse(Mt5Retcode.ERR_PARAMS, "amount must not be zero");
        }
        if (order.comment().length() > MAX_COMMENT_LENGTH) {
            return refuse(Mt5Retcode.ERR_PARAMS, "comment is longer than " + MAX_COMMENT_LENGTH + " characters");
        }
        SimLogin login = books.login(order.login());
        if (login == null || !visible.matches(login.group.groupName())) {
            return refuse(Mt5Retcode.ERR_NOTFOUND, "login " + order.login() + " not found");
        }
        if (amount.abs().compareTo(MAX_MONEY) > 0) {
            return refuse(Mt5Retcode.TRADE_MAX_MONEY, "one operation may move at most " + MAX_MONEY.toPlainString());
        }
        if (amount.signum() < 0 && order.type() != DealAction.CORRECTION) {
            BigDecimal available = order.type() == DealAction.CREDIT ? login.credit
                    : login.balance.min(desk.math().freeMargin(books, login));
            if (amount.negate().compareTo(available) > 0) {
                return refuse(Mt5Retcode.REQUEST_NO_MONEY, "not enough money: " + available.toPlainString() + " "
                        + login.currency() + " available");
            }
        }
        return null;
    }

    /** Books a checked order as a deal by the dealer carrying the order's comment. */
    Deal perform(BookTransaction tx, BalanceOrder order) {
        return desk.balanceDeal(tx, books.login(order.login()), order.type(), TradeMath.money(order.amount()),
                order.comment());
    }

    private static BalanceResult refuse(int retcode, String message) {
        return BalanceResult.refused(retcode, Mt5Retcode.describe(retcode) + ": " + message);
    }
}
