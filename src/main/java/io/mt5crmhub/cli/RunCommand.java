package io.mt5crmhub.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.IntSupplier;

import io.mt5crmhub.app.HubWorkingDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code run}: starts the hub and runs it until SIGTERM; exit 1 when a setting is bad, 2 when routes/ is missing. */
@Command(name = RunCommand.NAME, description = {"Start the hub (the default when no command is given).",
    "Reads application.properties (from the working directory, else the jar's copy; an environment variable"
            + " overrides each key), routes/ and connectors/ from the working directory, and runs until stopped"
            + " (SIGTERM or Ctrl-C)."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:stopped gracefully (SIGTERM, Ctrl-C)",
            "1:cannot start: a bad setting, the database or the HTTP port (one ERROR line names it)",
            RunCommand.MISSING_FOLDER_EXIT})
final class RunCommand implements Callable<Integer> {

    static final String NAME = "run";
    static final String MISSING_FOLDER_EXIT = "2:wrong arguments, or routes/ or connectors/ missing from the working"
            + " directory";

    @Spec
    private CommandSpec spec;
    private final Path workingDirectory;
    private final IntSupplier hub;

    RunCommand(Path workingDirectory, IntSupplier hub) {
        this.workingDirectory = workingDirectory;
        this.hub = hub;
    }

    @Override
    public Integer call() {
        if (reportedMissingFolder(workingDirectory, spec.commandLine().getErr())) {
            return 2;
        }
        return hub.getAsInt();
    }

    /** Whether the hub's folders are missing from {@code workingDirectory}; if so, says which in one line. */
    static boolean reportedMissingFolder(Path workingDirectory, PrintWriter err) {
        Optional<String> missing = HubWorkingDirectory.missingFolder(workingDirectory);
        missing.ifPresent(line -> err.println("mt5-crm-hub: " + line));
        return missing.isPresent();
    }
}
