package io.mt5crmhub.component;

/**
 * Whether the cluster service that elects the servers' owners can be reached now. While it cannot, this instance
 * reads and writes nothing of any server: another instance may be elected meanwhile.
 */
@FunctionalInterface
public interface Mt5ClusterReachability {

    /** Null while reachable; else why not, as health shows it. */
    String unreachableBecause();
}
