package io.mt5crmhub.gateway.webapi;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.mt5crmhub.gateway.ServerSettings;

/** The {@code webapi} settings of a server {@code live1} for tests, read through the production parser. */
final class WebApiTestSettings {

    static final String SERVER = "live1";

    private WebApiTestSettings() {
    }

    /** {@code values} (keys below {@code mt5.server.live1.}) with overrides: name, value; a null value removes the key. */
    static WebApiSettings of(Map<String, String> values, String... overrides) {
        Map<String, String> merged = new HashMap<>(values);
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1] == null) {
                merged.remove(overrides[i]);
            } else {
                merged.put(overrides[i], overrides[i + 1]);
            }
        }
        String prefix = ServerSettings.PREFIX + SERVER + ".";
        return WebApiSettings.from(new ServerSettings(SERVER, key -> Optional.ofNullable(
                merged.get(key.substring(prefix.length())))));
    }
}
