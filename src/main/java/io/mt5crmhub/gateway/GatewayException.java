package io.mt5crmhub.gateway;

/** The MT5 server could not be reached, or answered in a way that leaves the outcome unknown. */
public class GatewayException extends Exception {

    private final int retcode;

    public GatewayException(int retcode, String message) {
        super(message);
        this.retcode = retcode;
    }

    public GatewayException(int retcode, String message, Throwable cause) {
        super(message, cause);
        this.retcode = retcode;
    }

    public int retcode() {
        return retcode;
    }
}
