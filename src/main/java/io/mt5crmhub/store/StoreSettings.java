package io.mt5crmhub.store;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import io.mt5crmhub.config.ConfigurationException;
import io.mt5crmhub.config.Settings;

/**
 * The hub database ({@code hub.db.*}) and the login map's cache ({@code hub.login-map.*}).
 *
 * @param username null lets the driver decide; an H2 URL without one uses {@code sa}
 * @param password never logged
 */
public record StoreSettings(String url, String username, String password, int poolSize, Duration loginMapCacheTtl) {

    public static StoreSettings from(Settings settings) {
        String url = settings.require("hub.db.url");
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw new ConfigurationException("hub.db.url must be a jdbc:h2: or jdbc:postgresql: URL");
        }
        String username = settings.get("hub.db.username").orElse(url.startsWith("jdbc:h2:") ? "sa" : null);
        return new StoreSettings(url, username, settings.getSecret("hub.db.password"),
                settings.getInt("hub.db.pool-size", 1, 200),
                settings.getDuration("hub.login-map.cache-seconds", ChronoUnit.SECONDS, 0, 3600));
    }

    /** The same database with a pool of {@code size} connections (the command-line tools need two). */
    public StoreSettings withPoolSize(int size) {
        return new StoreSettings(url, username, password, size, loginMapCacheTtl);
    }

    @Override
    public String toString() {
        return "StoreSettings[url=" + io.mt5crmhub.config.Secrets.maskUrl(url) + ", username=" + username
                + ", password=***, poolSize=" + poolSize + "]";
    }
}
