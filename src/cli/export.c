/* saccade export: the fixation table of a run file as CSV or JSON (no simulation). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "core/log.h"
#include "core/output.h"
#include "runfile/runfile.h"

static void export_usage(FILE *f)
{
    fprintf(f,
            "usage: saccade export FILE (--csv OUT | --json OUT)\n"
            "\n"
            "Writes the fixations of a recorded run as a table; OUT '-' is standard output.\n"
            "CSV columns: index,start_ms,end_ms,duration_ms,x_px,y_px,x_deg,y_deg,amplitude_deg,\n"
            "peak_velocity_deg_s,label,confidence,object (degrees from the world centre, y down;\n"
            "label empty and confidence 0 when not classified; object -1 when none).\n"
            "\n"
            "example: saccade export saved_runs/example-digits.run --csv fixations.csv\n");
}

int cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {{"csv", required_argument, 0, 'c'},
                                         {"json", required_argument, 0, 'j'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *csv = NULL, *json = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'c': csv = optarg; break;
        case 'j': json = optarg; break;
        case 'h': export_usage(stdout); return 0;
        default: return cli_bad_option("export", argv, optind);
        }
    }
    const char *path = cli_one_file("export", argc, argv, optind);
    if (!path)
        return 2;
    if (!csv == !json) {
        fprintf(stderr, "saccade export: give one of --csv OUT or --json OUT\n");
        return 2;
    }
    RunFile *rf = runfile_read(path);
    if (!rf) {
        sc_log_error("%s", sc_last_error());
        return 1;
    }
    if (rf->torn_note[0])
        sc_log_warn("%s", rf->torn_note);
    const char *out = csv ? csv : json;
    /* a temporary file renamed into place: the recording itself is never the output */
    Output *o = output_open(out, &path, 1);
    if (!o) {
        sc_log_error("%s", sc_last_error());
        runfile_free(&rf);
        return 1;
    }
    int to_stdout = !strcmp(out, "-");
    int rc =
        csv ? runfile_export_csv(rf, output_stream(o)) : runfile_export_json(rf, output_stream(o));
    if (rc < 0) {
        sc_log_error("%s: %s", out, sc_last_error());
        output_abort(&o);
    } else if (output_commit(&o) < 0) {
        sc_log_error("%s", sc_last_error());
        rc = -1;
    } else if (!to_stdout) {
        printf("%s: %zu fixations written to %s\n", path, rf->n_fixations, out);
    }
    runfile_free(&rf);
    return rc < 0 ? 1 : 0;
}
