package io.mt5crmhub.crm;

import java.util.Optional;

import io.mt5crmhub.config.ConfigurationException;
import io.mt5crmhub.config.Settings;

/** The REST CRM sink ({@code hub.crm.rest.*}); on when {@code hub.crm.rest.url} is set. */
public record RestCrmSettings(Optional<String> url) {

    public static RestCrmSettings from(Settings settings) {
        Optional<String> url = settings.get("hub.crm.rest.url");
        if (url.isPresent() && !url.get().matches("https?://.+")) {
            throw new ConfigurationException("hub.crm.rest.url must be an http:// or https:// URL");
        }
        // the timeouts and the breaker are the crm-rest-sink connector's, read by its route from the properties;
        // they are checked here so a bad one stops start-up with the key named
        settings.getLong("hub.crm.rest.connect-timeout", 1, 600_000);
        settings.getLong("hub.crm.rest.response-timeout", 1, 3_600_000);
        settings.getLong("hub.crm.rest.breaker-open-seconds", 1, 86_400);
        return new RestCrmSettings(url);
    }

    public boolean enabled() {
        return url.isPresent();
    }
}
