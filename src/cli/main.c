/* saccade: one binary, subcommands. `saccade` alone opens the live window. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "config.h"
#include "core/log.h"
#include "core/output.h"

typedef struct Command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} Command;

static const Command commands[] = {
    {"live", cmd_live, "the window: scene, eye, overlays (default command)"},
    {"run", cmd_run, "simulate headless; print fixations (--json)"},
    {"bench", cmd_bench, "time each stage per tick (median, p90)"},
    {"replay", cmd_replay, "replay a run file; --verify re-simulates and checks it"},
    {"export", cmd_export, "write a run's fixations as CSV or JSON"},
    {"info", cmd_info, "print a run file's header and summary"},
    {"train", cmd_train, "train the centre-only classifier (--dataset mnist|glyphs|chars|readerK)"},
    {"eval", cmd_eval, "experiments: " EVAL_TASK_LIST},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: saccade [COMMAND] [OPTIONS]\n"
               "\n"
               "An active-vision simulator: a foveated eye with fixed V1 filters, saliency-driven\n"
               "saccades and a centre-only classifier. With no command, opens the live window.\n"
               "\n"
               "commands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'saccade COMMAND --help' describes each command. Version " SACCADE_VERSION ".\n");
}

/* Every command's stdout is checked at exit: output lost to a full disk or a closed pipe is
 * an error (exit 1), never a silent success. */
static int finish(int rc)
{
    if (output_close_stdout() < 0) {
        if (rc == 0) /* a failed command has said why already: one line */
            sc_log_error("%s", sc_last_error());
        return rc ? rc : 1;
    }
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
            if (!strcmp(commands[i].name, "live"))
                return finish(commands[i].fn(argc, argv));
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return finish(0);
    }
    if (!strcmp(argv[1], "--version")) {
        printf("saccade " SACCADE_VERSION "\n");
        return finish(0);
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (!strcmp(argv[1], commands[i].name))
            return finish(commands[i].fn(argc - 1, argv + 1));
    fprintf(stderr, "saccade: unknown command '%s' (try 'saccade --help')\n", argv[1]);
    return 2;
}
