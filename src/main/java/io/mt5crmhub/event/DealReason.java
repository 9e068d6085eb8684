package io.mt5crmhub.event;

/** MT5 {@code IMTDeal::EnDealReason}: who or what caused a deal. */
public enum DealReason implements Mt5Codes.Coded {
    CLIENT(0), EXPERT(1), DEALER(2), SL(3), TP(4), SO(5), ROLLOVER(6), EXTERNAL_CLIENT(7), VMARGIN(8),
    GATEWAY(9), SIGNAL(10), SETTLEMENT(11), TRANSFER(12), SYNC(13), EXTERNAL_SERVICE(14), MIGRATION(15),
    MOBILE(16), WEB(17), SPLIT(18);

    private final int code;

    DealReason(int code) {
        this.code = code;
    }

    @Override
    public int code() {
        return code;
    }

    public static DealReason ofCode(int code) {
        return Mt5Codes.of(DealReason.class, code, "deal reason");
    }
}
