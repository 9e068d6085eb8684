package io.mt5crmhub.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium} in headless mode: loads a page, lets its scripts run for a while of virtual time, and
 * gives back the DOM as it then is, or a screenshot.
 */
public final class HeadlessChromium {

    private static final int SCRIPT_MILLIS = 6_000;

    private HeadlessChromium() {
    }

    /** The DOM of {@code url} once its scripts have run. */
    public static String dumpDom(String url) throws IOException, InterruptedException {
        return run(List.of("--dump-dom", url));
    }

    /** Saves what {@code url} looks like once its scripts have run, as a PNG. */
    public static void screenshot(String url, Path png) throws IOException, InterruptedException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=1280,1100", url));
        if (!Files.isRegularFile(png)) {
            throw new IllegalStateException("chromium wrote no screenshot to " + png);
        }
    }

    private static String run(List<String> what) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-dev-shm-usage", "--user-data-dir="
                        + Files.createTempDirectory("chromium").toAbsolutePath(),
                "--virtual-time-budget=" + SCRIPT_MILLIS));
        command.addAll(what);
        Process chromium = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = chromium.getInputStream().readAllBytes();
        if (!chromium.waitFor(60, TimeUnit.SECONDS)) {
            chromium.destroyForcibly();
            throw new IllegalStateException("chromium did not end within 60 s: " + command);
        }
        if (chromium.exitValue() != 0) {
            throw new IllegalStateException("chromium exited " + chromium.exitValue() + ": " + command);
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
