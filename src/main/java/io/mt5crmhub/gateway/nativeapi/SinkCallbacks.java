package io.mt5crmhub.gateway.nativeapi;

import com.sun.jna.Callback;
import com.sun.jna.Pointer;

/** One JNA callback type per distinct sink signature; the first parameter is always the sink object. */
final class SinkCallbacks {

    private SinkCallbacks() {
    }

    interface NoArgs extends Callback {
        void invoke(Pointer sink);
    }

    interface OneObject extends Callback {
        void invoke(Pointer sink, Pointer object);
    }

    interface Login extends Callback {
        void invoke(Pointer sink, long login);
    }

    interface DealPerform extends Callback {
        void invoke(Pointer sink, Pointer deal, Pointer account, Pointer position);
    }

    interface DealPerformCloseBy extends Callback {
        void invoke(Pointer sink, Pointer deal, Pointer closeBy, Pointer account, Pointer position);
    }

    interface TradeAccountSet extends Callback {
        void invoke(Pointer sink, int retcode, long requestId, Pointer user, Pointer account, Pointer orders,
                Pointer positions);
    }

    interface TwoObjects extends Callback {
        void invoke(Pointer sink, Pointer first, Pointer second);
    }

    interface ThreeObjects extends Callback {
        void invoke(Pointer sink, Pointer first, Pointer second, Pointer third);
    }

    /** OnUserLogin / OnUserLogout: (ip text, user, type). */
    interface UserSession extends Callback {
        void invoke(Pointer sink, Pointer ip, Pointer user, int type);
    }

    /** OnUserChangePassword: (user, password type, password text). */
    interface PasswordChange extends Callback {
        void invoke(Pointer sink, Pointer user, int type, Pointer password);
    }

    interface HookOneObject extends Callback {
        int invoke(Pointer sink, Pointer object);
    }

    interface HookTwoObjects extends Callback {
        int invoke(Pointer sink, Pointer first, Pointer second);
    }

    interface HookThreeObjects extends Callback {
        int invoke(Pointer sink, Pointer first, Pointer second, Pointer third);
    }

    interface HookUserSession extends Callback {
        int invoke(Pointer sink, Pointer ip, Pointer user, int type);
    }

    interface HookPasswordChange extends Callback {
        int invoke(Pointer sink, Pointer user, int type, Pointer password);
    }

    /** Fills the spare slots past the known layout; answers 0 in case a newer library calls one as a hook. */
    interface Spare extends Callback {
        int invoke(Pointer sink);
    }
}
