package io.mt5crmhub.cluster;

import java.util.List;

import io.mt5crmhub.component.Mt5ServerClaims;
import io.mt5crmhub.store.ServerLeases;

/**
 * Taking an MT5 server on this instance: its epoch raised in the hub database first, then the server's crash
 * recovery (what the former owner may have left half done), and only then does the gateway connect. The order
 * matters: recovery run before the epoch is raised could race a former owner still writing.
 */
public final class LeaseClaims implements Mt5ServerClaims {

    /** A step of a server's crash recovery, run by each new owner after its epoch is raised. */
    @FunctionalInterface
    public interface Recovery {
        void recover(String serverId) throws Exception;
    }

    private final ServerLeases leases;
    private final List<Recovery> recovery;

    public LeaseClaims(ServerLeases leases, List<Recovery> recovery) {
        this.leases = leases;
        this.recovery = List.copyOf(recovery);
    }

    @Override
    public long claim(String serverId) throws Exception {
        long epoch = leases.claim(serverId);
        for (Recovery step : recovery) {
            step.recover(serverId);
        }
        return epoch;
    }

    @Override
    public void released(String serverId) {
        leases.release(serverId);
    }
}
