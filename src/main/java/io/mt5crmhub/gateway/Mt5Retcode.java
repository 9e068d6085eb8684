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
    public static final int AUTH_ACCOUNT_INVALID = 1001;
    public static final int AUTH_ACCOUNT_DISABLED = 1002;
    public static final int AUTH_CLIENT_OLD = 1010;
    public static final int AUTH_RESET_PASSWORD = 1026;
    public static final int TRADE_MAX_MONEY = 4005;
    public static final int REQUEST_DONE = 10009;
    public static final int REQUEST_TIMEOUT = 10012;
    public static final int REQUEST_NO_MONEY = 10019;
    public static final int REQUEST_CONNECTION = 10031;

    private Mt5Retcode() {
    }

    /** An {@code MT_RET_AUTH_*} answer: the server refused the credentials, not the connection. */
    public static boolean isAuthRefusal(int retcode) {
        return retcode >= 1000 && retcode < 1100;
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
            case AUTH_ACCOUNT_INVALID -> "Login refused";
            case AUTH_ACCOUNT_DISABLED -> "Account disabled";
            case AUTH_CLIENT_OLD -> "Client version too old";
            case AUTH_RESET_PASSWORD -> "The password must be changed";
            case TRADE_MAX_MONEY -> "Money limit exceeded";
            case REQUEST_DONE -> "Request completed";
            case REQUEST_TIMEOUT -> "Request timed out";
            case REQUEST_NO_MONEY -> "Not enough money";
            case REQUEST_CONNECTION -> "No connection";
            default -> "MT5 error " + retcode;
        };
    }
}
