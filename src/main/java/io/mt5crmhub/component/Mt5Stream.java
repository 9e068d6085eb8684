package io.mt5crmhub.component;

import java.util.Locale;

import io.mt5crmhub.event.EntityType;

/** What an {@code mt5:} endpoint reads or does: the URI path. */
public enum Mt5Stream {
    DEALS(EntityType.DEAL), POSITIONS(EntityType.POSITION), ACCOUNTS(EntityType.ACCOUNT), BALANCE(null);

    private final EntityType entity;

    Mt5Stream(EntityType entity) {
        this.entity = entity;
    }

    public EntityType entity() {
        return entity;
    }

    public boolean isConsumable() {
        return entity != null;
    }

    public static Mt5Stream parse(String path) {
        for (Mt5Stream stream : values()) {
            if (stream.name().equalsIgnoreCase(path)) {
                return stream;
            }
        }
        throw new IllegalArgumentException("mt5:" + path + " is not an MT5 stream; use mt5:deals, mt5:positions,"
                + " mt5:accounts or mt5:balance");
    }

    public String uriName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
