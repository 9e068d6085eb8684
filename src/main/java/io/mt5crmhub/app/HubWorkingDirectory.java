package io.mt5crmhub.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The folders the hub reads from its working directory ({@code camel.main.routes-include-pattern=file:routes/*.yaml},
 * {@code camel.component.kamelet.location=file:connectors,...}). Checked before Camel starts: without them Camel
 * fails deep inside start-up with a bare {@code NoSuchFileException: routes}.
 */
public final class HubWorkingDirectory {

    private static final List<String> FOLDERS = List.of("routes", "connectors");

    private HubWorkingDirectory() {
    }

    /** @return one line naming the first missing folder, where it was looked for and how to fix it; empty if none */
    public static Optional<String> missingFolder(Path workingDirectory) {
        Path dir = workingDirectory.toAbsolutePath().normalize();
        return FOLDERS.stream().filter(name -> !Files.isDirectory(dir.resolve(name))).findFirst()
                .map(name -> "no " + name + "/ folder in " + dir + ": run mt5-crm-hub from the folder that holds"
                        + " routes/ and connectors/ (the repository or the unpacked distribution)");
    }
}
