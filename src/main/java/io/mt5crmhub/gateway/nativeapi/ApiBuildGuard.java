package io.mt5crmhub.gateway.nativeapi;

import io.mt5crmhub.config.ConfigurationException;

/**
 * Refuses a Manager API library older than the methods the gateway calls. Build 1657's IMTManagerAPI vtable ends
 * at slot 299, so DealRequestByGroup (321) and the other 3661 methods would read past it and crash; 3661 is the
 * oldest header verified to hold every slot we call (section 10 of the ABI reference).
 */
public final class ApiBuildGuard {

    /** The header version our slot tables come from; also passed to MTManagerCreateExt as api_version. */
    public static final int REQUIRED_BUILD = 3661;

    private ApiBuildGuard() {
    }

    /** @throws ConfigurationException one line naming the key, the build found and the build needed */
    public static void check(String key, String library, int foundBuild) {
        if (Integer.compareUnsigned(foundBuild, REQUIRED_BUILD) < 0) {
            throw new ConfigurationException(key + ": " + library + " is MT5 Manager API build "
                    + Integer.toUnsignedString(foundBuild) + ", older than build " + REQUIRED_BUILD
                    + " that the native gateway needs (it calls DealRequestByGroup, slot 321)");
        }
    }
}
