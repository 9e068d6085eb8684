package io.mt5crmhub.api;

import io.mt5crmhub.config.Settings;

/**
 * The hub's HTTP port and its API: {@code camel.server.enabled|host}, {@code hub.http.port} (business API, health
 * and metrics share it) and {@code hub.api.keys}, the bearer keys of the balance and dead-letter APIs (none: the
 * APIs are off).
 */
public record HttpSettings(boolean enabled, String host, int port, ApiKeys apiKeys) {

    public static HttpSettings from(Settings settings) {
        return new HttpSettings(settings.getBoolean("camel.server.enabled"), settings.require("camel.server.host"),
                settings.getInt("hub.http.port", 0, 65_535), ApiKeys.parse(settings.getSecret("hub.api.keys")));
    }

    /** Whether the APIs answer: the HTTP server is on and at least one key is set. */
    public boolean apiEnabled() {
        return enabled && !apiKeys.isEmpty();
    }
}
