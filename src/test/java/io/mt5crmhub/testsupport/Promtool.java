package io.mt5crmhub.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Prometheus's own rule checker, {@code promtool} from Debian's {@code prometheus} package (.ci/run installs it). */
public final class Promtool {

    /** A finished run: its exit code and its output, stdout and stderr together. */
    public record Run(int exitCode, String output) {
    }

    private Promtool() {
    }

    public static Run run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("promtool is not installed: apt-get install --no-install-recommends"
                    + " prometheus (.ci/run does)", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("promtool " + String.join(" ", args) + " did not end within 60 s");
        }
        return new Run(process.exitValue(), output);
    }
}
