package io.mt5crmhub.event;

/** MT5 {@code IMTDeal::EnDealEntry}: how a deal changes its position. */
public enum DealEntry {
    IN(0), OUT(1), INOUT(2), OUT_BY(3);

    private final int code;

    DealEntry(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static DealEntry ofCode(int code) {
        for (DealEntry entry : values()) {
            if (entry.code == code) {
                return entry;
            }
        }
        throw new IllegalArgumentException("unknown MT5 deal entry code " + code);
    }
}
