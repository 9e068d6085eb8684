package io.mt5crmhub.testsupport;

import java.util.concurrent.TimeUnit;

/** The processes tests start (the hub's jar, the simulator server). */
final class ChildProcesses {

    private ChildProcesses() {
    }

    /** Kills {@code process} if it still runs, and waits a little for it to be gone. */
    static void kill(Process process) {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
