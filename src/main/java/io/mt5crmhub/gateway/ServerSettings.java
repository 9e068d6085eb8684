package io.mt5crmhub.gateway;

import java.util.Optional;
import java.util.function.Function;

import io.mt5crmhub.config.ConfigurationException;
import io.mt5crmhub.config.Settings;

/**
 * The {@code mt5.server.<id>.*} settings of one MT5 server. Values are looked up key by key so that
 * environment variables override the file ({@code mt5.server.sim.rate} -> {@code MT5_SERVER_SIM_RATE}).
 * Every typed read that fails names the full key and the bad value; secrets are never echoed.
 */
public final class ServerSettings extends Settings {

    public static final String PREFIX = "mt5.server.";

    private final String id;

    public ServerSettings(String id, Function<String, Optional<String>> lookup) {
        super(lookup, PREFIX + id + ".");
        this.id = id;
    }

    public ServerSettings(String id, Settings settings) {
        this(id, settings::getRaw);
    }

    public String id() {
        return id;
    }

    /** An MT5 group mask ({@code real*,!demo*}); {@code *} (every group) when not set. */
    /** {@code login}: the manager account a Manager or Web API connection logs in with, required. */
    public long requireManagerLogin() {
        long login = getLong("login", 0, 1, Long.MAX_VALUE);
        if (login == 0) {
            throw new ConfigurationException(key("login") + " is required (the manager account's login)");
        }
        return login;
    }

    /** {@code groups}: the MT5 groups a manager connection asks for, at most MT5's 127 characters. */
    public GroupMask managerGroups() {
        GroupMask groups = getGroupMask("groups");
        if (groups.toString().length() > 127) {
            throw new ConfigurationException(key("groups") + " is longer than MT5's 127 characters");
        }
        return groups;
    }

    public GroupMask getGroupMask(String name) {
        String text = getString(name, "*");
        try {
            return GroupMask.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(key(name) + "='" + text + "' is not an MT5 group mask: " + e.getMessage());
        }
    }
}
