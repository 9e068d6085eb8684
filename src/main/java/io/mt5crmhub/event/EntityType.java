package io.mt5crmhub.event;

import java.util.Locale;

/** The MT5 record an event is about; the first half of an event {@code type}. */
public enum EntityType {
    DEAL, POSITION, ACCOUNT, ORDER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
