package io.mt5crmhub.event;

/**
 * MT5 {@code IMTDeal::EnDealAction}, named as in the Manager API without the {@code DEAL_} prefix.
 * The numeric codes are the ones the Manager API and the Web API use on the wire.
 */
public enum DealAction implements Mt5Codes.Coded {
    BUY(0), SELL(1), BALANCE(2), CREDIT(3), CHARGE(4), CORRECTION(5), BONUS(6), COMMISSION(7),
    COMMISSION_DAILY(8), COMMISSION_MONTHLY(9), AGENT_DAILY(10), AGENT_MONTHLY(11), INTERESTRATE(12),
    BUY_CANCELED(13), SELL_CANCELED(14), DIVIDEND(15), DIVIDEND_FRANKED(16), TAX(17), AGENT(18),
    SO_COMPENSATION(19), SO_COMPENSATION_CREDIT(20);

    private final int code;

    DealAction(int code) {
        this.code = code;
    }

    @Override
    public int code() {
        return code;
    }

    public static DealAction ofCode(int code) {
        return Mt5Codes.of(DealAction.class, code, "deal action");
    }

    public boolean isTrade() {
        return this == BUY || this == SELL;
    }

    /** Credit operations move the login's credit, not its balance. */
    public boolean affectsCredit() {
        return this == CREDIT || this == SO_COMPENSATION_CREDIT;
    }

    /**
     * Whether the deal's money (profit + commission + swap + fee) lands on the login's balance. Cancelled
     * trades carry no money; credit operations land on credit instead.
     */
    public boolean affectsBalance() {
        return !affectsCredit() && this != BUY_CANCELED && this != SELL_CANCELED;
    }
}
