/* saccade eval reading: the reading eye on pages of words in held-out font families, with the
 * foveal reader alone and with 2, 4, 6, 8 separately trained extra readers (sim/sim_reading.h).
 * Every page is a `words` scene read by the Sim that `run --scene words` and the window use. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classifier/classifier.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "eval/canvas.h"
#include "core/log.h"
#include "core/output.h"
#include "data/dataset.h"
#include "data/textline.h"
#include "sim/sim.h"
#include "sim/sim_model.h"
#include "sim/sim_reading.h"

#define MAX_SETTINGS 9
#define MAX_FONTS 4
#define PAGE_SECONDS_MAX 900.0 /* simulated; a page not read by then counts as read so far */

static void reading_usage(FILE *f)
{
    fprintf(f,
            "usage: saccade eval reading [--readers LIST] [--words N] [--page N] [--seed N]\n"
            "                            [--split test|val] [--model FILE] [--json] [--out DIR]\n"
            "                            [--quiet]\n"
            "\n"
            "Reads pages of words (the 'words' scene: fixed-pitch lines of words drawn from\n"
            "assets/words/words.txt) with the simulator's reading eye, once per reader setting,\n"
            "in each held-out font family (Liberation Sans, Serif, Mono; --split val: the\n"
            "validation families P052 and URW Gothic, for tuning). Per setting: word accuracy\n"
            "(n, 95%% Wilson interval), letters identified per fixation, fixations per word,\n"
            "forward saccade length in letters, mean fixation duration, the readers' parameters\n"
            "and dense multiply-adds per fixation; beside the human figures (Rayner 1998).\n"
            "\n"
            "  --readers LIST extra readers per setting (default 0,2,4,6,8; 0 = fovea only)\n"
            "  --words N      words per font family and setting (default 240)\n"
            "  --page N       words per page (default 40)\n"
            "  --seed N       first page seed (default 1); page p of a family uses seed + p\n"
            "  --split S      test (default) or val\n"
            "  --model FILE   the foveal glyph model (default assets/models/glyphs.wts)\n"
            "  --json         print the results as JSON (fractions 0..1)\n"
            "  --out DIR      where eval_reading.csv goes (default: current folder)\n"
            "  --quiet        no progress lines\n");
}

typedef struct Tally {
    long words, words_right, letters, letters_right, cells_read;
    long fixations, fix_closed;
    double fix_ms;
    long fwd_saccades;
    double fwd_letters;
    long reads; /* reader calls (cells read, all readers) */
} Tally;

/* Dense multiply-adds of one classifier's layers (the fixed V1 front end not counted). */
static long dense_macs(const Classifier *c)
{
    long m = 0;
    for (int l = 0; l < classifier_layer_count(c); l++)
        m += (long)classifier_layer_size(c, l) * classifier_layer_size(c, l + 1);
    return m;
}

/* Reads one page; adds to t. 0 or -1. */
static int read_page(const Classifier *glyphs, int readers, const char *font, int words,
                     uint64_t seed, Tally *t, size_t *params, long *macs)
{
    SceneSpec spec;
    memset(&spec, 0, sizeof(spec));
    spec.kind = SCENE_WORDS;
    spec.objects = words;
    Scene *scene = scene_create_words(&spec, seed, font);
    if (!scene)
        return -1;
    SimConfig cfg;
    sim_config_default(&cfg);
    Sim *sim = sim_create_with_scene(&cfg, scene, seed);
    if (!sim)
        return -1;
    SimClassifier sc;
    sim_model_adapter((Classifier *)glyphs, &sc);
    sim_set_classifier(sim, &sc);
    if (sim_model_attach_readers(sim, &sc, classifier_hash(glyphs), readers, NULL) < 0) {
        sim_destroy(&sim);
        return -1;
    }
    /* the cost: the foveal reader and each extra reader's own weights */
    *params = classifier_param_count(glyphs);
    *macs = dense_macs(glyphs);
    for (int i = 0; i < readers; i++) {
        char path[1024];
        Classifier *c = NULL;
        if (sim_model_reader_path(sim_reader_offset(i), path, sizeof(path)) < 0 ||
            !(c = classifier_load(path))) {
            sim_destroy(&sim);
            return -1;
        }
        *params += classifier_param_count(c);
        *macs += dense_macs(c);
        classifier_destroy(&c);
    }
    const SimReading *rd = sim_reading(sim);
    long max_ticks = lround(PAGE_SECONDS_MAX * 1000.0 / cfg.tick_ms);
    for (long i = 0; i < max_ticks && !sim_reading_done(rd); i++)
        sim_tick(sim, NULL, 0);
    /* words: each ground-truth word against the word assembled where it starts */
    const Scene *sc_ = sim_scene(sim);
    const SceneObject *o = scene_objects(sc_);
    for (int i = 0; i < scene_object_count(sc_); i++) {
        int line, cell;
        SimWordRead wr;
        memset(&wr, 0, sizeof(wr));
        if (sim_reading_object_cell(rd, &o[i], &line, &cell))
            sim_reading_word_at(rd, line, cell, &wr);
        t->words++;
        t->words_right += !strcmp(wr.text, o[i].label);
        if (getenv("READING_DEBUG") && strcmp(wr.text, o[i].label))
            fprintf(stderr, "%s: '%s' read as '%s'\n", font, o[i].label, wr.text);
        size_t n = strlen(o[i].label);
        t->letters += (long)n;
        for (size_t k = 0; k < n && wr.text[k]; k++)
            t->letters_right += wr.text[k] == o[i].label[k];
    }
    t->cells_read += sim_reading_cells_read(rd);
    /* fixations from the first landing on (the first look, at the page centre, is not
     * reading); the last one stays open once the page is read */
    const SceneTextLine *lines;
    int n_lines = scene_text_lines(sc_, &lines);
    int prev_line = -1;
    float prev_x = 0;
    for (int i = 1; i < sim_fixation_count(sim); i++) {
        const SimFixation *f = sim_fixation(sim, i);
        t->fixations++;
        if (f->end_ms >= 0) {
            t->fix_closed++;
            t->fix_ms += f->end_ms - f->start_ms;
        }
        int line = -1;
        for (int l = 0; l < n_lines; l++)
            if (fabsf(f->y - (float)(lines[l].baseline_y - TEXTLINE_GAZE_ABOVE_BASE)) <
                0.5f * SCENE_LINE_SPACING)
                line = l;
        if (line >= 0 && line == prev_line && f->x > prev_x) {
            t->fwd_saccades++;
            t->fwd_letters += (f->x - prev_x) / TEXTLINE_PITCH;
        }
        prev_line = line;
        prev_x = f->x;
    }
    sim_destroy(&sim);
    return 0;
}

int cmd_eval_reading(int argc, char **argv)
{
    static const struct option opts[] = {
        {"readers", required_argument, 0, 'r'}, {"words", required_argument, 0, 'w'},
        {"page", required_argument, 0, 'p'},    {"seed", required_argument, 0, 's'},
        {"split", required_argument, 0, 'S'},   {"model", required_argument, 0, 'm'},
        {"json", no_argument, 0, 'j'},          {"out", required_argument, 0, 'o'},
        {"quiet", no_argument, 0, 'q'},         {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    int settings[MAX_SETTINGS] = {0, 2, 4, 6, 8}, n_settings = 5;
    int words = 240, page = 40, json = 0, quiet = 0, split_val = 0, c;
    uint64_t seed = 1;
    const char *model = NULL, *out_dir = ".";
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'r': {
            n_settings = 0;
            const char *p = optarg;
            while (*p) {
                char *end;
                long v = strtol(p, &end, 10);
                if (end == p || v < 0 || v > SIM_READERS_MAX || n_settings == MAX_SETTINGS ||
                    (*end && *end != ',')) {
                    fprintf(stderr, "saccade eval reading: --readers: a list of counts 0..%d, "
                                    "e.g. 0,2,4\n",
                            SIM_READERS_MAX);
                    return 2;
                }
                settings[n_settings++] = (int)v;
                p = *end ? end + 1 : end;
            }
            if (!n_settings) {
                fprintf(stderr, "saccade eval reading: --readers: empty list\n");
                return 2;
            }
            break;
        }
        case 'w':
            if (cli_parse_int("eval reading", "--words", optarg, 1, 100000, &words) < 0)
                return 2;
            break;
        case 'p':
            if (cli_parse_int("eval reading", "--page", optarg, 1, 200, &page) < 0)
                return 2;
            break;
        case 's':
            if (cli_parse_u64("eval reading", "--seed", optarg, &seed) < 0)
                return 2;
            break;
        case 'S':
            if (strcmp(optarg, "test") && strcmp(optarg, "val")) {
                fprintf(stderr, "saccade eval reading: --split: test or val, not '%s'\n", optarg);
                return 2;
            }
            split_val = !strcmp(optarg, "val");
            break;
        case 'm': model = optarg; break;
        case 'j': json = 1; break;
        case 'o': out_dir = optarg; break;
        case 'q': quiet = 1; break;
        case 'h': reading_usage(stdout); return 0;
        default: return cli_bad_option("eval reading", argv, optind);
        }
    }
    if (cli_no_positionals("eval reading", argc, argv, optind) < 0)
        return 2;
    /* the glyph model's held-out families (or its validation families): data/dataset.h */
    const char *const *fonts = split_val ? dataset_glyph_val_families : dataset_glyph_test_families;
    const int n_fonts = split_val ? DATASET_GLYPH_VAL_FAMILIES : DATASET_GLYPH_TEST_FAMILIES;
    char csv_path[4096];
    int k = snprintf(csv_path, sizeof(csv_path), "%s/eval_reading.csv", out_dir);
    if (k < 0 || (size_t)k >= sizeof(csv_path)) {
        sc_log_error("%s: output path too long", out_dir);
        return 1;
    }
    if (output_check(csv_path, NULL, 0) < 0) {
        sc_log_error("%s", sc_last_error());
        return 1;
    }
    char mpath[1024];
    Classifier *glyphs = NULL;
    if (sim_model_path(NULL, model ? model : "glyphs", mpath, sizeof(mpath)) < 0 ||
        !(glyphs = classifier_load(mpath))) {
        sc_log_error("%s", sc_last_error());
        return 1;
    }
    if (split_val && !classifier_holdout(glyphs)) {
        sc_log_error("eval reading: --split val: %s trained on the validation families", mpath);
        classifier_destroy(&glyphs);
        return 1;
    }
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "task", "reading");
    cJSON_AddStringToObject(root, "split", split_val ? "val" : "test");
    cJSON_AddNumberToObject(root, "words_per_family", words);
    cJSON_AddNumberToObject(root, "pitch_px", TEXTLINE_PITCH);
    cJSON_AddNumberToObject(root, "font_px", TEXTLINE_PX);
    cJSON *fj = cJSON_AddArrayToObject(root, "families");
    for (int f = 0; f < n_fonts; f++)
        cJSON_AddItemToArray(fj, cJSON_CreateString(fonts[f]));
    cJSON *rows = cJSON_AddArrayToObject(root, "rows");
    /* the header and at most MAX_SETTINGS rows of 12 numbers: a few hundred bytes each; a row
     * that would not fit is an error (never a silently shortened file) */
    char csv[8192];
    size_t cn = (size_t)snprintf(csv, sizeof(csv),
                                 "readers,params,dense_macs_per_fixation,words,word_accuracy,"
                                 "ci95_lo,ci95_hi,letter_accuracy,letters_per_fixation,"
                                 "fixations_per_word,saccade_letters,fixation_ms\n");
    if (!json)
        printf("reading: %d words per family in %s (%s split), %d px letters on a %d px pitch\n"
               "%7s %10s %12s %6s %22s %8s %9s %9s %8s %8s\n",
               words, split_val ? "P052, URW Gothic" : "Liberation Sans, Serif, Mono",
               split_val ? "validation" : "test", TEXTLINE_PX, TEXTLINE_PITCH, "readers",
               "params", "MACs/fix", "words", "word accuracy [95% CI]", "letters", "letters/",
               "fix/word", "saccade", "fix ms");
    int rc = 0;
    for (int si = 0; si < n_settings && rc == 0; si++) {
        Tally t;
        memset(&t, 0, sizeof(t));
        Tally per[MAX_FONTS];
        memset(per, 0, sizeof(per));
        size_t params = 0;
        long macs = 0;
        for (int f = 0; f < n_fonts && rc == 0; f++) {
            for (int p = 0, left = words; left > 0 && rc == 0; p++) {
                int n = left < page ? left : page;
                Tally one;
                memset(&one, 0, sizeof(one));
                rc = read_page(glyphs, settings[si], fonts[f], n, seed + (uint64_t)p, &one,
                               &params, &macs);
                if (one.words == 0 && rc == 0) {
                    sc_set_error("eval reading: a page of %d words holds none", n);
                    rc = -1;
                }
                left -= (int)one.words;
                Tally *ts[2] = {&t, &per[f]};
                for (int q = 0; q < 2; q++) {
                    Tally *d = ts[q];
                    d->words += one.words;
                    d->words_right += one.words_right;
                    d->letters += one.letters;
                    d->letters_right += one.letters_right;
                    d->cells_read += one.cells_read;
                    d->fixations += one.fixations;
                    d->fix_closed += one.fix_closed;
                    d->fix_ms += one.fix_ms;
                    d->fwd_saccades += one.fwd_saccades;
                    d->fwd_letters += one.fwd_letters;
                }
            }
            if (!quiet && !json && rc == 0)
                fprintf(stderr, "  %d readers, %s: %ld/%ld words\n", settings[si], fonts[f],
                        per[f].words_right, per[f].words);
        }
        if (rc)
            break;
        double acc = (double)t.words_right / (double)t.words, lo, hi;
        eval_wilson(t.words_right, t.words, &lo, &hi);
        double lpf = (double)t.cells_read / (double)t.fixations;
        double fpw = (double)t.fixations / (double)t.words;
        double sl = t.fwd_saccades ? t.fwd_letters / (double)t.fwd_saccades : 0.0;
        double fms = t.fix_closed ? t.fix_ms / (double)t.fix_closed : 0.0;
        double lacc = (double)t.letters_right / (double)t.letters;
        cJSON *r = cJSON_CreateObject();
        cJSON_AddNumberToObject(r, "readers", settings[si]);
        cJSON_AddNumberToObject(r, "params", (double)params);
        cJSON_AddNumberToObject(r, "dense_macs_per_fixation", (double)macs);
        cJSON_AddNumberToObject(r, "words", (double)t.words);
        cJSON_AddNumberToObject(r, "word_accuracy", acc);
        cJSON_AddItemToObject(r, "ci95", eval_wilson_json(t.words_right, t.words));
        cJSON_AddNumberToObject(r, "letter_accuracy", lacc);
        cJSON_AddNumberToObject(r, "letters_per_fixation", lpf);
        cJSON_AddNumberToObject(r, "fixations_per_word", fpw);
        cJSON_AddNumberToObject(r, "saccade_letters", sl);
        cJSON_AddNumberToObject(r, "fixation_ms", fms);
        cJSON_AddNumberToObject(r, "fixations", (double)t.fixations);
        cJSON *pf = cJSON_AddArrayToObject(r, "per_family");
        for (int f = 0; f < n_fonts; f++) {
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "family", fonts[f]);
            cJSON_AddNumberToObject(e, "words", (double)per[f].words);
            cJSON_AddNumberToObject(e, "word_accuracy",
                                    (double)per[f].words_right / (double)per[f].words);
            cJSON_AddItemToObject(e, "ci95", eval_wilson_json(per[f].words_right, per[f].words));
            cJSON_AddNumberToObject(e, "fixations_per_word",
                                    (double)per[f].fixations / (double)per[f].words);
            cJSON_AddItemToArray(pf, e);
        }
        cJSON_AddItemToArray(rows, r);
        int row = cn < sizeof(csv)
                      ? snprintf(csv + cn, sizeof(csv) - cn,
                                 "%d,%zu,%ld,%ld,%.6f,%.6f,%.6f,%.6f,%.4f,%.4f,%.4f,%.1f\n",
                                 settings[si], params, macs, t.words, acc, lo, hi, lacc, lpf, fpw,
                                 sl, fms)
                      : -1;
        if (row < 0 || cn + (size_t)row >= sizeof(csv)) {
            if (rc == 0)
                sc_set_error("%s: the table does not fit in %zu bytes", csv_path, sizeof(csv));
            rc = -1;
            cn = sizeof(csv);
        } else {
            cn += (size_t)row;
        }
        if (!json) {
            printf("%7d %10zu %12ld %6ld %7.2f%% [%5.2f, %6.2f] %7.2f%% %9.2f %9.2f %8.2f %8.0f\n",
                   settings[si], params, macs, t.words, 100 * acc, 100 * lo, 100 * hi,
                   100 * lacc, lpf, fpw, sl, fms);
            for (int f = 0; f < n_fonts; f++) {
                double a = (double)per[f].words_right / (double)per[f].words, l2, h2;
                eval_wilson(per[f].words_right, per[f].words, &l2, &h2);
                printf("%7s   %-19s %6ld %7.2f%% [%5.2f, %6.2f] %27.2f\n", "", fonts[f],
                       per[f].words, 100 * a, 100 * l2, 100 * h2,
                       (double)per[f].fixations / (double)per[f].words);
            }
        }
    }
    cJSON *hum = cJSON_AddObjectToObject(root, "human");
    cJSON_AddStringToObject(hum, "source", "Rayner 1998, Psychological Bulletin 124(3)");
    cJSON_AddNumberToObject(hum, "fixations_per_word", 1.2);
    cJSON_AddStringToObject(hum, "saccade_letters", "7-9");
    cJSON_AddStringToObject(hum, "fixation_ms", "225-250");
    cJSON_AddStringToObject(hum, "letters_right_of_fixation", "7-8 (identified)");
    if (rc == 0 && !json)
        printf("%7s %s\n", "human",
               "Rayner 1998: about 1.2 fixations per word, saccades of 7-9 letters, fixations of "
               "225-250 ms, letters identified to about 7-8 right of fixation");
    if (rc == 0 && output_write_all(csv_path, csv, cn, NULL, 0) < 0)
        rc = -1;
    if (rc == 0 && json) {
        char *txt = cJSON_Print(root);
        if (!txt) {
            sc_set_error("out of memory printing JSON");
            rc = -1;
        } else {
            fputs(txt, stdout);
            fputc('\n', stdout);
            free(txt);
        }
    } else if (rc == 0 && !quiet) {
        fprintf(stderr, "wrote %s\n", csv_path);
    }
    cJSON_Delete(root);
    classifier_destroy(&glyphs);
    if (rc) {
        sc_log_error("%s", sc_last_error());
        return 1;
    }
    return 0;
}
