package io.mt5crmhub.gateway.simulator.server;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import io.mt5crmhub.gateway.webapi.WebApiAuth;

/**
 * The server side of the Web API handshake and its sessions, keyed by a cookie. {@code auth/start} opens a session
 * with a fresh {@code srv_rand}; {@code auth/answer} authorises it when the answer is right for the manager's
 * password, and answers the client's {@code cli_rand} with the same arithmetic. A session ends {@code ttl} after
 * its login whatever its use (0 = never; for testing re-login), or after {@code idle} without a request, which is
 * what the client's keep-alive ping prevents. Thread-safe.
 */
final class WebApiSessions {

    static final String COOKIE = "MT5WEBAPI";

    /** One client's session. */
    static final class Session {
        final String token;
        final long login;
        final String srvRand;
        volatile boolean authorised;
        volatile long authorisedAt;
        volatile long lastUse;

        Session(String token, long login, String srvRand, long now) {
            this.token = token;
            this.login = login;
            this.srvRand = srvRand;
            this.lastUse = now;
        }
    }

    private final long managerLogin;
    private final byte[] passwordHash;
    private final Duration ttl;
    private final Duration idle;
    private final LongSupplier nanoClock;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    WebApiSessions(long managerLogin, String managerPassword, Duration ttl, Duration idle, LongSupplier nanoClock) {
        this.managerLogin = managerLogin;
        this.passwordHash = WebApiAuth.passwordHash(managerPassword);
        this.ttl = ttl;
        this.idle = idle;
        this.nanoClock = nanoClock;
    }

    /** {@code auth/start}: a new, not yet authorised session. */
    Session start(long login) {
        expire();
        Session session = new Session(WebApiAuth.randomHex(), login, WebApiAuth.randomHex(), nanoClock.getAsLong());
        sessions.put(session.token, session);
        return session;
    }

    /**
     * {@code auth/answer}: the {@code cli_rand_answer} when the answer is right for the manager login, else null
     * (and the session is gone).
     */
    String answer(String token, String srvRandAnswer, String cliRand) {
        Session session = token == null ? null : sessions.get(token);
        if (session == null || session.authorised) {
            return null;
        }
        if (session.login != managerLogin || !WebApiAuth.verify(passwordHash, session.srvRand, srvRandAnswer)) {
            sessions.remove(token);
            return null;
        }
        String cliRandAnswer;
        try {
            cliRandAnswer = WebApiAuth.answer(passwordHash, cliRand);
        } catch (IllegalArgumentException e) {
            sessions.remove(token);
            return null;
        }
        long now = nanoClock.getAsLong();
        session.authorisedAt = now;
        session.lastUse = now;
        session.authorised = true;
        return cliRandAnswer;
    }

    /** Whether the cookie names a live, authorised session; marks it used. */
    boolean touch(String token) {
        Session session = token == null ? null : sessions.get(token);
        if (session == null || !session.authorised) {
            return false;
        }
        long now = nanoClock.getAsLong();
        if (expired(session, now)) {
            sessions.remove(token);
            return false;
        }
        session.lastUse = now;
        return true;
    }

    int size() {
        return sessions.size();
    }

    private boolean expired(Session session, long now) {
        boolean tooOld = !ttl.isZero() && session.authorised && now - session.authorisedAt >= ttl.toNanos();
        boolean tooIdle = now - session.lastUse >= idle.toNanos();
        return tooOld || tooIdle;
    }

    private void expire() {
        long now = nanoClock.getAsLong();
        for (Iterator<Session> it = sessions.values().iterator(); it.hasNext();) {
            if (expired(it.next(), now)) {
                it.remove();
            }
        }
    }
}
