package io.mt5crmhub.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/** What the user sees when a command line is wrong or a command fails: one line, then usage where it helps. */
final class CommandFailures {

    private CommandFailures() {
    }

    /** A wrong command line: what is wrong, the command's usage, exit 2. */
    static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("mt5-crm-hub: " + describe(e));
        UnmatchedArgumentException.printSuggestions(e, err);
        command.usage(err);
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** A command that threw: one line naming the command and the cause, with the command's failure exit code. */
    static int failed(Exception e, CommandLine command, ParseResult parsed) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        command.getErr().println("mt5-crm-hub " + hubCommand(command).getCommandName() + ": " + message);
        return command.getCommandSpec().exitCodeOnExecutionException();
    }

    private static String describe(ParameterException e) {
        if (e instanceof UnmatchedArgumentException unmatched && !e.getCommandLine().getSubcommands().isEmpty()
                && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")) {
            return "unknown command '" + unmatched.getUnmatched().get(0) + "'";
        }
        return e.getMessage();
    }

    /** {@code dead-letters} for {@code dead-letters list}: the command the jar was asked to run. */
    private static CommandLine hubCommand(CommandLine command) {
        CommandLine hubCommand = command;
        while (hubCommand.getParent() != null && hubCommand.getParent().getParent() != null) {
            hubCommand = hubCommand.getParent();
        }
        return hubCommand;
    }
}
