package io.mt5crmhub.testsupport;

import io.mt5crmhub.gateway.nativeapi.ManagerApi;
import io.mt5crmhub.gateway.nativeapi.ManagerLibrary;

/**
 * Runs in a child JVM: loads the stand-in and calls one IMTManagerAPI slot it does not implement, so that a test
 * can watch the trap abort a process other than its own. Arguments: library path, slot.
 */
public final class NativeTrapProbe {

    private NativeTrapProbe() {
    }

    public static void main(String[] args) {
        ManagerApi manager = ManagerLibrary.load("mt5.server.probe.library", args[0]).createManager();
        int res = manager.object().callInt(Integer.parseInt(args[1]));
        System.out.println("the call returned " + res);
    }
}
