package io.mt5crmhub.component;

/**
 * What taking and giving up an MT5 server means outside the component, when several hub instances share the servers
 * (a Camel cluster service elects an owner per server): the hub raises the server's fence in its database and runs
 * the server's crash recovery before the gateway connects, and forgets the server's epoch when it gives it up.
 */
public interface Mt5ServerClaims {

    /** No fence: for a cluster service without a shared database (tests of the election alone). */
    Mt5ServerClaims NONE = new Mt5ServerClaims() {
        @Override
        public long claim(String serverId) {
            return 0;
        }

        @Override
        public void released(String serverId) {
        }
    };

    /**
     * Called on the instance elected for {@code serverId}, before its gateway connects. Returns the server's new epoch;
     * a failure (database away) leaves the server unowned and the claim is tried again.
     */
    long claim(String serverId) throws Exception;

    /** The server's gateway was closed on this instance: nothing of it may be written here any more. */
    void released(String serverId);
}
