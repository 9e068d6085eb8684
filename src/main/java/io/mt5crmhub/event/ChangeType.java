package io.mt5crmhub.event;

import java.util.Locale;

/** What happened to the record; the second half of an event {@code type}. */
public enum ChangeType {
    ADDED, UPDATED, DELETED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
