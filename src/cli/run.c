/* saccade run: the simulation headless, fixations out. Nothing printed depends on the clock. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classifier/classifier.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "core/log.h"
#include "core/output.h"
#include "core/utf8.h"
#include "record/record.h"
#include "sim/sim.h"
#include "sim/sim_adapt.h"
#include "sim/sim_model.h"
#include "sim/sim_reading.h"
#include "v1/plasticity.h"

static void run_usage(FILE *f)
{
    fprintf(f,
            "usage: saccade run [--scene S] [--seconds T] [--seed N] [--size WxH] [--objects N]\n"
            "                   [--model M | --no-model] [--saliency itti|spectral]\n"
            "                   [--readers N] [--no-pursuit] [--goggles G [--adapt-rate R]]\n"
            "                   [--plasticity untied|tied [--plasticity-rate R]]\n"
            "                   [--record FILE] [--json]\n"
            "\n"
            "Simulates the eye on a scene without a window and reports the fixations.\n"
            "\n"
            "  --scene S     digits (default), cluttered, letters, motion, blank, words,\n"
            "                words-grid, an image file (PNG/JPEG/BMP), a .scene file, a video\n"
            "                file (.mp4 .mov .mkv .webm .gif: played in simulated time, looping;\n"
            "                objects from its .truth sidecar) or a camera (/dev/video0).\n"
            "                words or words:PX (PX 12..48, default 22): paragraphs in the font's\n"
            "                natural spacing, read by an eye that finds lines, size and letters\n"
            "                itself and reads words it knows (assets/words/lexicon.txt) from\n"
            "                rough reads of their letters (reading mode); words-grid: fixed-\n"
            "                pitch lines of words, read letter by letter at cells the eye is\n"
            "                given; prose or prose:PX: words' layout and eye, the words\n"
            "                English prose's in their order (assets/words/prose.txt)\n"
            "  --readers N   reading: extra readers beside the foveal one (default 0): words\n"
            "                and prose: 0..8, the letter segments +1, -1, +2, .. from the gaze's; "
            "words-\n"
            "                grid: 0..8, the letters 1, 2, .. cells right and left (+1, -1, ..)\n"
            "  --seconds T   simulated seconds (default 10)\n"
            "  --seed N      random seed (default 1); same seed, same run, bit for bit\n"
            "  --size WxH    world size in px for built-in scenes (default 1280x720)\n"
            "  --objects N   number of objects in built-in scenes (default 12)\n"
            "  --model M     classifier: mnist, glyphs, chars, mnist+chars or a weights file\n"
            "                (default: digit scenes mnist, letters glyphs, images mnist; a .scene\n"
            "                file by its objects: digits mnist, text glyphs, both mnist+chars:\n"
            "                the digit model joined with the character model, which knows\n"
            "                letters and handwritten digits and decides which a patch is)\n"
            "  --no-model    no classifier (fixations carry no label)\n"
            "  --saliency M  itti (default: intensity, orientation, motion conspicuity) or\n"
            "                spectral (spectral residual, Hou & Zhang 2007)\n"
            "  --no-pursuit  no smooth pursuit: moving objects are followed by saccades only\n"
            "                (stored in recordings; replay uses it)\n"
            "  --goggles G   ud, lr or rot180: mirror what the retina senses about the gaze\n"
            "                (inversion goggles); saccades adapt (stored in recordings)\n"
            "  --adapt-rate R saccade adaptation rate 0..1 (default with goggles: the tuned\n"
            "                one; 0: none)\n"
            "  --plasticity M untied or tied: top-down reinforcement of the reader's V1 input\n"
            "                (one gain per orientation and position; 'saccade eval plasticity'):\n"
            "                each read of a labelled object is rewarded by the scene's truth;\n"
            "                untied changes each position alone, tied shares one change (the\n"
            "                control). Off by default; stored in recordings (format v6)\n"
            "  --plasticity-rate R  its rate, (0, 1] (default: the mode's, chosen on\n"
            "                validation: untied 0.001, tied 0.01)\n"
            "  --record FILE record the run to FILE (see 'saccade replay')\n"
            "  --json        print one JSON object (fixations, ground truth, reads, summary)\n"
            "\n"
            "example: saccade run --scene digits --seconds 10 --seed 7 --json\n");
}

typedef struct RunSummary {
    SimRead reads[SCENE_MAX_OBJECTS]; /* each object's read (sim_read_update's rule) */
    int read_all;                     /* every object fixated and classified (not as "nothing") */
    double read_ms;                   /* simulated time by which all objects were read */
    int fixations;                    /* closed and open */
    int within_1deg;                  /* fixations within 1 deg of some object's centre */
    int distinct_objects;             /* objects fixated (within 1 deg) at least once */
    int saccades;
} RunSummary;

static void summarise(const Sim *sim, RunSummary *r)
{
    memset(r, 0, sizeof(*r));
    const Scene *sc = sim_scene(sim);
    int n = sim_fixation_count(sim);
    char seen[SCENE_MAX_OBJECTS] = {0};
    const SimClassifier *cls = sim_classifier(sim);
    int n_obj = scene_object_count(sc), n_read = 0;
    for (int o = 0; o < SCENE_MAX_OBJECTS; o++)
        r->reads[o] = (SimRead){-1, 0, 0, -1};
    for (int i = 0; i < n; i++) {
        const SimFixation *f = sim_fixation(sim, i);
        /* reading: a fixation reads a letter of a word; words are reported under "reading" */
        if (cls && !sim_reading(sim) && f->object >= 0 && f->object < SCENE_MAX_OBJECTS) {
            SimRead *rd = &r->reads[f->object];
            int had = rd->label >= 0;
            sim_read_update(sim, i, rd);
            if (!had && rd->label >= 0 && ++n_read == n_obj)
                r->read_ms = f->start_ms;
        }
        r->fixations++;
        if (i > 0)
            r->saccades++;
        if (f->object >= 0) {
            r->within_1deg++;
            if (f->object < SCENE_MAX_OBJECTS && !seen[f->object]) {
                seen[f->object] = 1;
                r->distinct_objects++;
            }
        }
    }
    r->read_all = cls && n_obj > 0 && n_read == n_obj;
    if (sim_reading(sim)) { /* the page read to its end */
        r->read_all = sim_reading_done(sim_reading(sim));
        r->read_ms = r->read_all && n > 0 ? sim_fixation(sim, n - 1)->start_ms : 0;
    }
}

static const char *class_name(const Sim *sim, int label)
{
    const SimClassifier *c = sim_classifier(sim);
    return (c && label >= 0 && label < c->n_classes) ? c->class_names[label] : NULL;
}

static cJSON *fixation_json(const Sim *sim, const SimFixation *f, double end_of_run_ms)
{
    const SimConfig *c = sim_config(sim);
    const Image *w = scene_world(sim_scene(sim));
    float ppd = c->px_per_deg;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "start_ms", f->start_ms);
    cJSON_AddNumberToObject(o, "end_ms", f->end_ms >= 0 ? f->end_ms : end_of_run_ms);
    cJSON_AddNumberToObject(o, "x", round(f->x * 100) / 100);
    cJSON_AddNumberToObject(o, "y", round(f->y * 100) / 100);
    cJSON_AddNumberToObject(o, "x_deg", round((f->x - 0.5 * (w->w - 1)) / ppd * 1000) / 1000);
    cJSON_AddNumberToObject(o, "y_deg", round((f->y - 0.5 * (w->h - 1)) / ppd * 1000) / 1000);
    cJSON_AddNumberToObject(o, "amplitude_deg", round(f->amplitude_deg * 1000) / 1000);
    cJSON_AddNumberToObject(o, "saccade_ms", round(f->saccade_ms * 100) / 100);
    cJSON_AddNumberToObject(o, "peak_velocity_deg_s", round(f->peak_velocity_deg_s * 10) / 10);
    if (f->object >= 0)
        cJSON_AddNumberToObject(o, "object", f->object);
    else
        cJSON_AddNullToObject(o, "object");
    const char *lab = class_name(sim, f->label);
    if (lab) {
        cJSON_AddStringToObject(o, "label", lab);
        cJSON_AddNumberToObject(o, "confidence", round(f->confidence * 10000) / 10000);
        cJSON_AddNumberToObject(o, "glimpse", f->glimpse);
    } else {
        cJSON_AddNullToObject(o, "label");
        cJSON_AddNullToObject(o, "confidence");
        cJSON_AddNullToObject(o, "glimpse");
    }
    cJSON_AddBoolToObject(o, "corrective", f->corrective);
    cJSON_AddBoolToObject(o, "manual", f->manual);
    cJSON_AddBoolToObject(o, "open", f->end_ms < 0);
    return o;
}

static int print_json(const Sim *sim, const SceneSpec *spec, uint64_t seed, const RunSummary *r,
                      const char *model)
{
    const Scene *sc = sim_scene(sim);
    const Image *w = scene_world(sc);
    char fixed[1100]; /* the scene name is a path for files: UTF-8-fixed for JSON */
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "scene", utf8_fixed(scene_spec_name(spec), fixed, sizeof fixed));
    cJSON_AddNumberToObject(root, "seed", (double)seed);
    cJSON_AddNumberToObject(root, "ticks", (double)sim_tick_count(sim));
    cJSON_AddNumberToObject(root, "tick_ms", sim_config(sim)->tick_ms);
    cJSON_AddNumberToObject(root, "px_per_deg", sim_config(sim)->px_per_deg);
    cJSON_AddNumberToObject(root, "width", w->w);
    cJSON_AddNumberToObject(root, "height", w->h);
    if (model)
        cJSON_AddStringToObject(root, "model", model);
    else
        cJSON_AddNullToObject(root, "model");
    cJSON *objs = cJSON_AddArrayToObject(root, "objects");
    const SceneObject *o = scene_objects(sc);
    for (int i = 0; i < scene_object_count(sc); i++) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "label", o[i].label);
        cJSON_AddNumberToObject(j, "x", round(o[i].x * 100) / 100);
        cJSON_AddNumberToObject(j, "y", round(o[i].y * 100) / 100);
        cJSON_AddNumberToObject(j, "w", round(o[i].w * 100) / 100);
        cJSON_AddNumberToObject(j, "h", round(o[i].h * 100) / 100);
        cJSON_AddItemToArray(objs, j);
    }
    cJSON *fx = cJSON_AddArrayToObject(root, "fixations");
    double end_ms = sim_time_ms(sim);
    for (int i = 0; i < sim_fixation_count(sim); i++)
        cJSON_AddItemToArray(fx, fixation_json(sim, sim_fixation(sim, i), end_ms));
    cJSON *reads = cJSON_AddArrayToObject(root, "reads");
    for (int i = 0; i < scene_object_count(sc) && i < SCENE_MAX_OBJECTS; i++) {
        if (r->reads[i].label < 0)
            continue;
        cJSON *j = cJSON_CreateObject();
        cJSON_AddNumberToObject(j, "object", i);
        cJSON_AddStringToObject(j, "label", class_name(sim, r->reads[i].label));
        cJSON_AddNumberToObject(j, "confidence", round(r->reads[i].confidence * 10000) / 10000);
        /* an object without a ground-truth label (box, blob) has no right answer: null, as
         * the window's grey tag */
        if (o[i].label[0])
            cJSON_AddBoolToObject(j, "correct",
                                  !strcmp(class_name(sim, r->reads[i].label), o[i].label));
        else
            cJSON_AddNullToObject(j, "correct");
        cJSON_AddBoolToObject(j, "believed", r->reads[i].sure);
        cJSON_AddItemToArray(reads, j);
    }
    const SimReading *rd = sim_reading(sim);
    if (rd) {
        /* each ground-truth word against the word the reading assembled where it starts */
        cJSON *rj = cJSON_AddObjectToObject(root, "reading");
        cJSON_AddNumberToObject(rj, "readers", sim_reading_reader_count(rd) - 1);
        cJSON_AddBoolToObject(rj, "done", sim_reading_done(rd));
        cJSON *wj = cJSON_AddArrayToObject(rj, "words");
        int right = 0;
        for (int i = 0; i < scene_object_count(sc); i++) {
            SimWordRead wr;
            sim_reading_object_word(rd, &o[i], &wr);
            int ok = !strcmp(wr.text, o[i].label);
            right += ok;
            cJSON *j = cJSON_CreateObject();
            cJSON_AddNumberToObject(j, "object", i);
            cJSON_AddStringToObject(j, "truth", o[i].label);
            cJSON_AddStringToObject(j, "read", wr.text);
            cJSON_AddBoolToObject(j, "correct", ok);
            cJSON_AddItemToArray(wj, j);
        }
        cJSON_AddNumberToObject(rj, "words_right", right);
        cJSON_AddNumberToObject(rj, "letters_read", sim_reading_cells_read(rd));
    }
    cJSON *sum = cJSON_AddObjectToObject(root, "summary");
    cJSON_AddBoolToObject(sum, "read", r->read_all);
    if (r->read_all)
        cJSON_AddNumberToObject(sum, "read_ms", r->read_ms);
    else
        cJSON_AddNullToObject(sum, "read_ms");
    cJSON_AddNumberToObject(sum, "fixations", r->fixations);
    cJSON_AddNumberToObject(sum, "glimpses", sim_glimpse_count(sim));
    cJSON_AddNumberToObject(sum, "saccades", r->saccades);
    cJSON_AddNumberToObject(sum, "on_object", r->within_1deg);
    cJSON_AddNumberToObject(sum, "distinct_objects", r->distinct_objects);
    cJSON_AddStringToObject(sum, "eye",
                            r->saccades ? "moved" : "stayed: nothing salient to look at");
    const Plasticity *pl = sim_plasticity(sim);
    if (pl) {
        /* the V1 gains after the run: rewarded reads, positions changed, the largest change */
        cJSON *pj = cJSON_AddObjectToObject(root, "plasticity");
        cJSON_AddStringToObject(pj, "mode", plasticity_mode_name(pl->mode));
        cJSON_AddNumberToObject(pj, "rate", round(pl->eta * 1e9) / 1e9);
        cJSON_AddNumberToObject(pj, "rewarded_reads", (double)pl->updates);
        cJSON_AddNumberToObject(pj, "positions_changed", plasticity_positions_changed(pl));
        double dmax = 0;
        for (int i = 0; i < PLASTICITY_N; i++)
            dmax = fmax(dmax, fabs(pl->gain[i] - 1.0));
        cJSON_AddNumberToObject(pj, "max_gain_change", round(dmax * 1e6) / 1e6);
    }
    char *txt = cJSON_Print(root);
    cJSON_Delete(root);
    if (!txt) {
        sc_log_error("out of memory printing JSON");
        return -1;
    }
    fputs(txt, stdout);
    fputc('\n', stdout);
    free(txt);
    return 0;
}

static void print_text(const Sim *sim, const SceneSpec *spec, uint64_t seed, const RunSummary *r)
{
    const SimConfig *c = sim_config(sim);
    printf("scene %s, seed %llu, %.2f s simulated (%llu ticks of %g ms)\n", scene_spec_name(spec),
           (unsigned long long)seed, sim_time_ms(sim) / 1000.0,
           (unsigned long long)sim_tick_count(sim), c->tick_ms);
    printf("%4s %9s %9s %8s %8s %7s %7s %6s %6s %5s\n", "#", "start_ms", "end_ms", "x_px", "y_px",
           "amp_deg", "sacc_ms", "object", "label", "conf");
    for (int i = 0; i < sim_fixation_count(sim); i++) {
        const SimFixation *f = sim_fixation(sim, i);
        char obj[16] = "-";
        if (f->object >= 0)
            snprintf(obj, sizeof(obj), "%d", f->object);
        const char *lab = class_name(sim, f->label);
        printf("%4d %9.0f %9.0f %8.1f %8.1f %7.2f %7.1f %6s %6s %5.2f%s\n", i, f->start_ms,
               f->end_ms >= 0 ? f->end_ms : sim_time_ms(sim), f->x, f->y, f->amplitude_deg,
               f->saccade_ms, obj, lab ? lab : "-", lab ? f->confidence : 0.0,
               f->corrective ? " corrective" : "");
    }
    printf(
        "%d fixations, %d on an object (within 1 deg of its centre), %d distinct objects of %d\n",
        r->fixations, r->within_1deg, r->distinct_objects, scene_object_count(sim_scene(sim)));
    const SimReading *rd = sim_reading(sim);
    if (rd) {
        const SceneObject *o = scene_objects(sim_scene(sim));
        int right = 0, n = scene_object_count(sim_scene(sim));
        for (int i = 0; i < n; i++) {
            SimWordRead wr;
            sim_reading_object_word(rd, &o[i], &wr);
            right += !strcmp(wr.text, o[i].label);
            printf("word %2d  %-12s read %-12s %s\n", i, o[i].label, wr.text[0] ? wr.text : "-",
                   !strcmp(wr.text, o[i].label) ? "right" : "wrong");
        }
        printf("%d of %d words read right with %d extra readers; page %s\n", right, n,
               sim_reading_reader_count(rd) - 1,
               sim_reading_done(rd) ? "read" : "not read to its end");
    } else if (sim_classifier(sim))
        printf("scene %s\n",
               r->read_all ? "read: every object fixated and classified" : "not fully read");
    if (!r->saccades)
        printf("the eye stayed where it was: nothing salient to look at\n");
}

int cmd_run(int argc, char **argv)
{
    static const struct option opts[] = {{"scene", required_argument, 0, 'S'},
                                         {"seconds", required_argument, 0, 't'},
                                         {"seed", required_argument, 0, 's'},
                                         {"size", required_argument, 0, 'z'},
                                         {"objects", required_argument, 0, 'n'},
                                         {"json", no_argument, 0, 'j'},
                                         {"model", required_argument, 0, 'm'},
                                         {"no-model", no_argument, 0, 'M'},
                                         {"record", required_argument, 0, 'r'},
                                         {"saliency", required_argument, 0, 'A'},
                                         {"readers", required_argument, 0, 'R'},
                                         {"no-pursuit", no_argument, 0, 'P'},
                                         {"goggles", required_argument, 0, 'G'},
                                         {"adapt-rate", required_argument, 0, 'D'},
                                         {"plasticity", required_argument, 0, 'L'},
                                         {"plasticity-rate", required_argument, 0, 'E'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *scene_arg = "digits";
    double seconds = 10;
    uint64_t seed = 1;
    const char *model_opt = NULL, *record_path = NULL;
    int w = 0, h = 0, objects = 0, json = 0, no_model = 0, spectral = 0, readers = -1, c;
    int no_pursuit = 0, goggles = 0, plasticity = 0;
    double adapt_rate = -1, plasticity_rate = -1;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'S': scene_arg = optarg; break;
        case 't':
            if (cli_parse_double("run", "--seconds", optarg, 0, 86400, &seconds) < 0)
                return 2;
            break;
        case 's':
            if (cli_parse_u64("run", "--seed", optarg, &seed) < 0)
                return 2;
            break;
        case 'z':
            if (cli_parse_size("run", "--size", optarg, &w, &h) < 0)
                return 2;
            break;
        case 'n':
            if (cli_parse_int("run", "--objects", optarg, 1, SCENE_MAX_OBJECTS, &objects) < 0)
                return 2;
            break;
        case 'R':
            if (cli_parse_int("run", "--readers", optarg, 0, SIM_READERS_MAX, &readers) < 0)
                return 2;
            break;
        case 'j': json = 1; break;
        case 'm': model_opt = optarg; break;
        case 'M': no_model = 1; break;
        case 'r': record_path = optarg; break;
        case 'A':
            if (strcmp(optarg, "itti") && strcmp(optarg, "spectral")) {
                fprintf(stderr, "saccade run: --saliency: '%s' is not itti or spectral\n", optarg);
                return 2;
            }
            spectral = !strcmp(optarg, "spectral");
            break;
        case 'P': no_pursuit = 1; break;
        case 'G':
            if (cli_parse_goggles("run", optarg, &goggles) < 0)
                return 2;
            break;
        case 'D':
            if (cli_parse_double("run", "--adapt-rate", optarg, 0, 1, &adapt_rate) < 0)
                return 2;
            break;
        case 'L':
            if (cli_parse_plasticity("run", optarg, &plasticity) < 0)
                return 2;
            break;
        case 'E':
            if (cli_parse_double("run", "--plasticity-rate", optarg, 1e-9, 1, &plasticity_rate) < 0)
                return 2;
            break;
        case 'h': run_usage(stdout); return 0;
        default: return cli_bad_option("run", argv, optind);
        }
    }
    if (cli_no_positionals("run", argc, argv, optind) < 0)
        return 2;

    SceneSpec spec;
    if (scene_spec_parse(&spec, scene_arg) < 0) {
        fprintf(stderr, "saccade run: --scene: %s\n", sc_last_error());
        return 2;
    }
    spec.width = w;
    spec.height = h;
    spec.objects = objects;
    if (no_model && model_opt) {
        fprintf(stderr, "saccade run: --model and --no-model exclude each other\n");
        return 2;
    }
    if (readers >= 0 && (!SCENE_KIND_READS(spec.kind) || no_model)) {
        fprintf(stderr, "saccade run: --readers is for --scene words or text (with a model)\n");
        return 2;
    }
    if (plasticity_rate >= 0 && !plasticity) {
        fprintf(stderr, "saccade run: --plasticity-rate needs --plasticity untied or tied\n");
        return 2;
    }
    if (plasticity && (no_model || SCENE_KIND_READS(spec.kind))) {
        fprintf(stderr, "saccade run: --plasticity reinforces the reader's V1 input: it needs a "
                        "model, and not the words page (read by the reader bank)\n");
        return 2;
    }
    SimConfig cfg;
    sim_config_default(&cfg);
    if (record_path && seconds * 1000.0 / cfg.tick_ms > (double)RUN_MAX_TICKS) {
        fprintf(stderr, "saccade run: --seconds: a recording holds at most %.0f s\n",
                (double)RUN_MAX_TICKS * cfg.tick_ms / 1000.0);
        return 2;
    }
    if (spectral)
        cfg.saliency.method = SALIENCY_SPECTRAL_RESIDUAL;
    if (no_pursuit)
        cfg.eye.pursuit = 0;
    cfg.retina.flip = goggles;
    cfg.saccade_adapt_rate =
        adapt_rate >= 0 ? (float)adapt_rate : (goggles ? SIM_GOGGLES_ADAPT_RATE : 0.0f);
    cfg.plasticity = plasticity;
    cfg.plasticity_eta =
        plasticity_rate >= 0 ? (float)plasticity_rate : plasticity_default_eta(plasticity);
    Sim *sim = sim_create(&cfg, &spec, seed);
    if (!sim) {
        sc_log_error("%s", sc_last_error());
        return 1;
    }
    /* The reader follows the scene (a scene file's object kinds), so it is chosen once the
     * scene is built. */
    SimModel *model = NULL;
    SimModelChoice choice = {0};
    if (!no_model && (sim_model_choose(&spec, sim_scene(sim), model_opt, &choice) < 0 ||
                      !(model = sim_model_open(&choice)))) {
        sc_log_error("%s", sc_last_error());
        sim_destroy(&sim);
        return 1;
    }
    if (record_path) {
        /* checked before the run: the folder exists, the target is a regular file or absent,
         * and it is neither the scene nor a model */
        const char *inputs[] = {spec.path, choice.path[0], choice.path[1]};
        if (output_check(record_path, inputs, 3) < 0) {
            sc_log_error("%s", sc_last_error());
            sim_model_close(&model);
            sim_destroy(&sim);
            return 1;
        }
    }
    uint64_t model_hash = model ? sim_model_hash(model) : 0;
    if (model) {
        sim_set_classifier(sim, sim_model_hook(model));
        if (sim_plasticity_ready(sim) < 0) {
            sc_log_error("--plasticity: %s (model %s)", sc_last_error(), sim_model_name(model));
            sim_destroy(&sim);
            sim_model_close(&model);
            return 1;
        }
        /* a words page: the extra readers (their hash joins the reader's in recordings) */
        if (SCENE_KIND_READS(spec.kind) &&
            sim_model_attach_readers(sim, sim_model_hook(model), model_hash,
                                     readers > 0 ? readers : 0, &model_hash) < 0) {
            sc_log_error("%s", sc_last_error());
            sim_destroy(&sim);
            sim_model_close(&model);
            return 1;
        }
    }
    Recorder *rec = NULL;
    if (record_path && !(rec = recorder_open(record_path, sim, model_hash))) {
        sc_log_error("%s", sc_last_error());
        sim_destroy(&sim);
        sim_model_close(&model);
        return 1;
    }
    if (rec) /* headless: a busy disk slows the run down rather than ending the recording */
        recorder_wait_for_disk(rec, 1);
    int rc = 0;
    uint64_t ticks = (uint64_t)llround(seconds * 1000.0 / cfg.tick_ms);
    for (uint64_t i = 0; i < ticks; i++) {
        sim_tick(sim, NULL, 0);
        if (rec && recorder_tick(rec, sim, NULL, 0) < 0) {
            sc_log_error("%s", sc_last_error());
            rc = 1;
            break;
        }
    }
    if (rec) {
        if ((rc == 0 && recorder_finish(rec, sim) < 0) || recorder_close(&rec) < 0) {
            if (rc == 0)
                sc_log_error("%s", sc_last_error());
            rc = 1;
        }
    }
    if (rc == 0) {
        static RunSummary r;
        summarise(sim, &r);
        const char *model_name = model ? sim_model_name(model) : NULL;
        if (json)
            rc = print_json(sim, &spec, seed, &r, model_name) < 0 ? 1 : 0;
        else
            print_text(sim, &spec, seed, &r);
    }
    sim_destroy(&sim);
    sim_model_close(&model);
    return rc;
}
