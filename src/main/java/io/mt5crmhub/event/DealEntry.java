package io.mt5crmhub.event;

/** MT5 {@code IMTDeal::EnDealEntry}: how a deal changes its position. */
public enum DealEntry implements Mt5Codes.Coded {
    IN(0), OUT(1), INOUT(2), OUT_BY(3);

    private final int code;

    DealEntry(int code) {
        this.code = code;
    }

    @Override
    public int code() {
        return code;
    }

    public static DealEntry ofCode(int code) {
        return Mt5Codes.of(DealEntry.class, code, "deal entry");
    }
}
