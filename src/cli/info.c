/* saccade info: header and summary of a run file (no simulation). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "core/log.h"
#include "runfile/runfile.h"
#include "v1/plasticity.h"

static void info_usage(FILE *f)
{
    fprintf(f,
            "usage: saccade info FILE\n"
            "\n"
            "Prints a run file's header (versions, scene, seed, hashes) and a summary (duration,\n"
            "fixations, inputs, state hashes), and whether its tail was torn.\n");
}

int cmd_info(int argc, char **argv)
{
    static const struct option opts[] = {{"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'h') {
            info_usage(stdout);
            return 0;
        }
        return cli_bad_option("info", argv, optind);
    }
    const char *path = cli_one_file("info", argc, argv, optind);
    if (!path)
        return 2;
    RunFile *rf = runfile_read(path);
    if (!rf) {
        sc_log_error("%s", sc_last_error());
        return 1;
    }
    const RunHeader *h = &rf->header;
    size_t inputs = 0, classified = 0, manual = 0;
    for (size_t i = 0; i < rf->n_events; i++)
        inputs += rf->events[i].type == RUN_EV_INPUT;
    for (size_t i = 0; i < rf->n_fixations; i++) {
        classified += rf->fixations[i]->label >= 0;
        manual += rf->fixations[i]->manual != 0;
    }
    const uint64_t ticks = rf->end_tick - h->start_tick;
    printf("file:            %s\n", path);
    printf("format version:  %u (this build writes %u, %u with V1 plasticity, %u for natural text; "
           "reads %u..%u)\n",
           h->version, RUN_FORMAT_V5, RUN_FORMAT_V6, RUN_FORMAT_V7, RUN_FORMAT_OLDEST,
           RUN_FORMAT_VERSION);
    printf("recorded by:     saccade %s\n", h->program_version);
    printf("scene:           %s (%s), world %dx%d px", scene_spec_name(&h->scene),
           scene_kind_name(h->scene.kind), h->world_w, h->world_h);
    if (SCENE_KIND_NATURAL(h->scene.kind))
        printf(", %d px text", h->scene.text_px);
    if (h->scene.objects)
        printf(", %d objects", h->scene.objects);
    if (h->scene_content_hash)
        printf(", content hash %016llx", (unsigned long long)h->scene_content_hash);
    printf("\n");
    printf("seed:            %llu\n", (unsigned long long)h->seed);
    printf("config hash:     %016llx (tick %g ms, %g px/deg, %s saccades, stop at %.2f)\n",
           (unsigned long long)h->config_hash, h->tick_ms, (double)h->px_per_deg,
           h->auto_saccades ? "auto" : "manual", (double)h->classify_stop_confidence);
    printf("pursuit:         %s\n", h->pursuit ? "on" : "off");
    if (h->goggles || h->saccade_adapt_rate > 0)
        printf("goggles:         %s, saccade adaptation rate %g\n", cli_goggles_name(h->goggles),
               (double)h->saccade_adapt_rate);
    if (h->plasticity)
        printf("V1 plasticity:   %s, rate %g\n", plasticity_mode_name(h->plasticity),
               (double)h->plasticity_eta);
    if (h->model_hash)
        printf("model hash:      %016llx\n", (unsigned long long)h->model_hash);
    else
        printf("model hash:      none (no classifier)\n");
    printf("ticks:           %llu..%llu (%llu ticks, %.2f s simulated)%s\n",
           (unsigned long long)h->start_tick, (unsigned long long)rf->end_tick,
           (unsigned long long)ticks, (double)ticks * h->tick_ms / 1000.0,
           h->start_tick ? ", starts from a recorded state" : "");
    printf("fixations:       %zu (%zu classified, %zu after manual saccades)\n", rf->n_fixations,
           classified, manual);
    printf("inputs:          %zu\n", inputs);
    printf("state hashes:    %zu\n", rf->n_hashes);
    printf("chunks:          %zu\n", rf->n_chunks);
    printf("closed cleanly:  %s\n", rf->complete ? "yes" : "no");
    if (rf->torn_note[0])
        printf("note:            %s\n", rf->torn_note);
    runfile_free(&rf);
    return 0;
}
