package io.mt5crmhub.gateway;

/** MT5 {@code MT_RET_*} return codes the hub handles (Manager API {@code MT5APIConstants.h}). */
public final class Mt5Retcode {

    public static final int OK = 0;
    public static final int ERROR = 2;
    public static final int ERR_PARAMS = 3;
    public static final int ERR_NETWORK = 7;
    public static final int ERR_PERMISSIONS = 8;
    public static final int ERR_TIMEOUT = 9;
    public static final int ERR_CONNECTION = 10;
    public static final int ERR_FREQUENT = 12;
    public static final int ERR_NOTFOUND = 13;
    public static final int TRADE_MAX_MONEY = 4005;
    public static final int REQUEST_DONE = 10009;
    public static final int REQUEST_TIMEOUT = 10012;
    public static final int REQUEST_NO_MONEY = 10019;
    public static final int REQUEST_CONNECTION = 10031;

    private Mt5Retcode() {
    }

    public static String describe(int retcode) {
        return switch (retcode) {
            case OK -> "Done";
            case ERROR -> "Common error";
            case ERR_PARAMS -> "Invalid parameters";
            case ERR_NETWORK -> "Network error";
            case ERR_PERMISSIONS -> "Not enough permissions";
            case ERR_TIMEOUT -> "Timeout";
            case ERR_CONNECTION -> "No connection";
            case ERR_FREQUENT -> "Too frequent requests";
            case ERR_NOTFOUND -> "Not found";
            case TRADE_MAX_MONEY -> "Money limit exceeded";
            case REQUEST_DONE -> "Request completed";
            case REQUEST_TIMEOUT -> "Request timed out";
            case REQUEST_NO_MONEY -> "Not enough money";
            case REQUEST_CONNECTION -> "No connection";
            default -> "MT5 error " + retcode;
        };
    }
}
