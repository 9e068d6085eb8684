package io.mt5crmhub.event;

/** MT5 {@code IMTPosition::EnPositionAction}: the direction of an open position. */
public enum PositionAction {
    BUY, SELL;

    public PositionAction opposite() {
        return this == BUY ? SELL : BUY;
    }
}
