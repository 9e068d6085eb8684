package io.mt5crmhub.testsupport;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Seeds and case counts of the fuzz tests. Each run draws a fresh seed (so CI keeps exploring) and prints it; a
 * failure names its seed and case, and {@code -Dfuzz.seed=<seed>} replays exactly that run. {@code -Dfuzz.cases=<n>}
 * changes how many cases each target runs (more for a long local hunt, fewer for a quick look).
 */
public final class Fuzz {

    public static final String SEED_PROPERTY = "fuzz.seed";
    public static final String CASES_PROPERTY = "fuzz.cases";

    private static final ExecutorService WORKER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fuzz-case");
        t.setDaemon(true);
        return t;
    });

    private Fuzz() {
    }

    /** The value of {@code work}, which must end within {@code limit}: a hang is a finding, not a stuck build. */
    public static <T> T within(Duration limit, Callable<T> work) throws Exception {
        Future<T> result = WORKER.submit(work);
        try {
            return result.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            throw new AssertionError("no answer within " + limit + " (a hang)");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw new AssertionError(e.getCause());
        }
    }

    public static long seed(String target) {
        String fixed = System.getProperty(SEED_PROPERTY);
        long seed = fixed == null || fixed.isBlank() ? new SecureRandom().nextLong() : Long.decode(fixed.trim());
        System.out.println("fuzz " + target + ": " + rerun(seed));
        return seed;
    }

    public static int cases(int byDefault) {
        String n = System.getProperty(CASES_PROPERTY);
        return n == null || n.isBlank() ? byDefault : Integer.parseInt(n.trim());
    }

    public static String rerun(long seed) {
        return "seed " + seed + " (re-run with -D" + SEED_PROPERTY + "=" + seed + ")";
    }

    /** Runs one case; a failure is rethrown naming the seed, the case number and what was sent. */
    public static void check(long seed, int caseNumber, JsonMutator.Mutant input, Case body) {
        try {
            body.run();
        } catch (Throwable e) { // a StackOverflowError or OutOfMemoryError is a finding too
            throw new AssertionError("fuzz case " + caseNumber + ", " + rerun(seed) + ", " + input.describe()
                    + ": " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    public interface Case {
        void run() throws Exception;
    }
}
