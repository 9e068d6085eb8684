package io.mt5crmhub.cli;

import java.util.Locale;

/**
 * Work done against the whole at the pace so far, in words: {@code 120 / 500 dead letters (24%), 40.0/s, about
 * 10 s left}. The time left assumes the rest goes at the pace of what was done.
 */
final class ProgressRate {

    private ProgressRate() {
    }

    static String describe(long done, long total, String unit, double elapsedSeconds) {
        double rate = elapsedSeconds > 0 ? done / elapsedSeconds : 0;
        String share = total > 0 ? String.format(Locale.ROOT, " (%.0f%%)", 100.0 * done / total) : "";
        String left;
        if (done >= total) {
            left = String.format(Locale.ROOT, "done in %.0f s", elapsedSeconds);
        } else if (rate > 0) {
            left = String.format(Locale.ROOT, "about %.0f s left", (total - done) / rate);
        } else {
            left = "time left unknown";
        }
        return String.format(Locale.ROOT, "%,d / %,d %s%s, %,.1f/s, %s", done, total, unit, share, rate, left);
    }
}
