package io.mt5crmhub.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The top command: names the hub's commands and runs the hub when none is named. */
@Command(name = "java -jar mt5-crm-hub.jar", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
        versionProvider = HubCommand.Version.class, synopsisSubcommandLabel = "[COMMAND]",
        description = {"Keeps broker CRMs in step with MetaTrader 5 trade servers.",
            "Without a command it runs the hub (run). Run it from the folder that holds routes/ and connectors/."},
        commandListHeading = "%nCommands (each with --help for its options):%n")
final class HubCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return ((RunCommand) spec.subcommands().get(RunCommand.NAME).getCommand()).call();
    }

    /** The version the jar's manifest carries; none when run from the classes (tests, IDE). */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = HubCommand.class.getPackage().getImplementationVersion();
            return new String[] {"mt5-crm-hub " + (version == null ? "(development build)" : version)};
        }
    }
}
