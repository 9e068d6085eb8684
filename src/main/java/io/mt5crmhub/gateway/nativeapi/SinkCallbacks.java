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

    /** Fills the spare slots past the known layout; answers 0 in case a newer library calls one as a hook. */
    interface Spare extends Callback {
        int invoke(Pointer sink);
    }
}
