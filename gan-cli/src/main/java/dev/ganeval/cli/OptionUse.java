package dev.ganeval.cli;

import picocli.CommandLine.Model.CommandSpec;

/** Options that mean something only in some uses of a command are refused in the others, rather than ignored. */
final class OptionUse {
    private OptionUse() {
    }

    /** Throws, naming the first of {@code options} given on {@code command}'s line, unless {@code applies}. */
    static void onlyWhere(CommandSpec command, boolean applies, String why, String... options) {
        if (applies) {
            return;
        }
        for (String option : options) {
            if (command.commandLine().getParseResult().hasMatchedOption(option)) {
                throw new IllegalArgumentException(option + " " + why);
            }
        }
    }
}
