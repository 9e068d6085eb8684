package io.mt5crmhub.gateway.nativeapi;

import java.util.HashMap;
import java.util.Map;

import io.mt5crmhub.config.Settings;
import io.mt5crmhub.gateway.ServerSettings;
import io.mt5crmhub.testsupport.Mt5Stub;

/** Native gateways on the stand-in, configured as the hub configures them (server {@code live1}, login 1015). */
final class NativeGateways {


    private NativeGateways() {
    }

    /** A gateway with the default settings but for {@code overrides} (keys after {@code mt5.server.live1.}). */
    static NativeGateway create(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(Map.of("mt5.servers", "live1",
                "mt5.server.live1.gateway", "native",
                "mt5.server.live1.library", Mt5Stub.library().toAbsolutePath().toString(),
                "mt5.server.live1.address", "127.0.0.1:443",
                "mt5.server.live1.login", Long.toString(Mt5Stub.MANAGER),
                "mt5.server.live1.password", Mt5Stub.PASSWORD,
                "mt5.server.live1.timeout", "5s"));
        overrides.forEach((k, v) -> values.put("mt5.server.live1." + k, v));
        return new NativeGateway(NativeSettings.from(new ServerSettings("live1", Settings.of(values))));
    }
}
