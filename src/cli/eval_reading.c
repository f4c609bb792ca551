/* saccade eval reading: the reading eye on pages of words in held-out font families, with the
 * foveal reader alone and with 2, 4, 6, 8 separately trained extra readers (sim/sim_reading.h).
 * Every page is a `words` scene read by the Sim that `run --scene words` and the window use.
 * The experiment is eval_reading (src/eval/reading.c); this file parses options and prints. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "core/log.h"
#include "core/output.h"
#include "data/textline.h"
#include "eval/canvas.h"
#include "eval/eval.h"
#include "sim/sim_reading.h"

#define MAX_SETTINGS EVAL_READING_MAX_SETTINGS

static void reading_usage(FILE *f)
{
    fprintf(
        f,
        "usage: saccade eval reading [--readers LIST] [--words N] [--page N] [--seed N]\n"
        "                            [--split test|val] [--model FILE] [--json] [--out DIR]\n"
        "                            [--quiet] [--text SIZES [--lexicon on|off] [--looks N]\n"
        "                            [--preview on|off] [--prose] [--capitals on|off]]\n"
        "\n"
        "Reads pages of words (the 'words-grid' scene: fixed-pitch lines of words drawn\n"
        "from assets/words/words.txt) with the simulator's reading eye, once per reader\n"
        "setting, in each held-out font family (Liberation Sans, Serif, Mono, Open Sans,\n"
        "Cantarell, Lato, Linux Biolinum O, Linux Libertine O: none trained on; --split\n"
        "val: the validation families P052 and URW Gothic, with --text also the monospace\n"
        "Inconsolata, for tuning). Per setting: word accuracy (n, 95%% Wilson interval)\n"
        "with and without the I/l rule (added after held-out errors were seen), letters\n"
        "identified per fixation, fixations per word, forward saccade length in letters,\n"
        "mean fixation duration, refixation, skip and regression rates, the readers'\n"
        "parameters and dense multiply-adds per fixation; beside the human figures\n"
        "(Rayner 1998).\n"
        "\n"
        "  --readers LIST extra readers per setting (default 0,2,4,6,8; 0 = fovea only)\n"
        "  --words N      words per font family and setting (default 240)\n"
        "  --page N       words per page (default 40)\n"
        "  --seed N       first page seed (default 1); page p of a family uses seed + p\n"
        "  --split S      test (default) or val\n"
        "  --model FILE   the foveal glyph model (default assets/models/glyphs.wts)\n"
        "  --json         print the results as JSON (fractions 0..1)\n"
        "  --out DIR      where eval_reading.csv goes (default: current folder)\n"
        "  --quiet        no progress lines\n"
        "  --place D      tuning: the next saccade puts the first letter not yet read under\n"
        "                 the reader D letters left of the gaze (default: the leftmost;\n"
        "                 --text: the fovea, D = 0)\n"
        "  --sure LIST    tuning: the confidence an extra reader's read needs, by reader\n"
        "                 distance 1, 2, ... (default 0.6, 0.6, 0.6, 0.9), e.g. 0.6,0.6,0.8,0.9\n"
        "  --text SIZES   natural text instead: pages of the 'words' scene (paragraphs in each\n"
        "                 family's own proportional spacing) at each font size in px, e.g.\n"
        "                 16,22,28,36, read by the eye that finds lines, size and letters from\n"
        "                 its glimpses, with the text0 and text+K readers (default readers\n"
        "                 0,2,4,6,8: those shipped)\n"
        "  --prose        natural text: pages of English prose, its words in their order\n"
        "                 (the 'prose' scene: assets/words/prose.txt; its punctuation left out),\n"
        "                 not words drawn at random from the word list\n"
        "  --capitals off tuning, natural text with the vocabulary: the vocabulary as its\n"
        "                 file is written, without each lowercase word also capitalized (a\n"
        "                 sentence's first word; a rule added after a test page's errors\n"
        "                 were seen; default on)\n"
        "  --lexicon off  natural text read letter by letter: the eye without its vocabulary\n"
        "                 (assets/words/lexicon.txt; default on)\n"
        "  --looks N      tuning, natural text with the vocabulary: the eye moves on from a\n"
        "                 word once every letter has a read and it has looked at it N times\n"
        "                 (1..%d, default %d), however unsure the vocabulary is\n"
        "  --preview off  tuning, the same: a word's first look is aimed from its first\n"
        "                 letter, not (the default, on) from its first letter not yet read\n"
        "                 surely (letters the look before read across the gap)\n"
        "\n"
        "refix: of the words fixated, those whose first visit holds two or more fixations;\n"
        "skip: words never fixated; regress: saccades within a line that go left by half a\n"
        "letter or more, of all saccades within a line. 'letters read by the reader at\n"
        "distance d': the share of the words' letters whose kept read came from the reader d\n"
        "letters from the gaze (0: the fovea), and how often that read is right (no rule).\n"
        "--text also gives the fixations on words of each length, per word of that length,\n"
        "and the fewest the readers' reach allows, every read right and every landing\n"
        "exact: a fixation reads at most the 2R+1 letters within R of the gaze (R the\n"
        "farthest reader's distance), so a word of n letters takes ceil(n/(2R+1)) when a\n"
        "fixation reads one word, a line of m letters ceil(m/(2R+1)) across words.\n",
        SIM_READING_WORD_LOOKS_MAX, SIM_READING_WORD_LOOKS);
}

static void note_stderr(void *user, const char *line)
{
    fprintf(stderr, "%s\n", line);
}

int cmd_eval_reading(int argc, char **argv)
{
    static const struct option opts[] = {{"readers", required_argument, 0, 'r'},
                                         {"words", required_argument, 0, 'w'},
                                         {"page", required_argument, 0, 'p'},
                                         {"seed", required_argument, 0, 's'},
                                         {"split", required_argument, 0, 'S'},
                                         {"model", required_argument, 0, 'm'},
                                         {"json", no_argument, 0, 'j'},
                                         {"out", required_argument, 0, 'o'},
                                         {"quiet", no_argument, 0, 'q'},
                                         {"sure", required_argument, 0, 'u'},
                                         {"place", required_argument, 0, 'P'},
                                         {"text", required_argument, 0, 'T'},
                                         {"lexicon", required_argument, 0, 'L'},
                                         {"looks", required_argument, 0, 'K'},
                                         {"preview", required_argument, 0, 'V'},
                                         {"prose", no_argument, 0, 'R'},
                                         {"capitals", required_argument, 0, 'C'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int settings[MAX_SETTINGS] = {0, 2, 4, 6, 8}, n_settings = 5;
    int words = 240, page = 40, json = 0, quiet = 0, split_val = 0, c, n_sure = 0;
    int place = SIM_READING_PLACE_LEFTMOST, readers_set = 0, lexicon = -1;
    int word_looks = 0, preview = -1; /* 0, -1: the default moves (SimReadingMoves) */
    int prose = 0, capitals = -1;
    int sizes[8] = {0}, n_sizes = 1;
    float sure[SIM_READERS_MAX / 2] = {0};
    uint64_t seed = 1;
    const char *model = NULL, *out_dir = ".";
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'r':
            readers_set = 1;
            n_settings = cli_parse_int_list(optarg, 0, SIM_READERS_MAX, settings, MAX_SETTINGS);
            if (n_settings < 0) {
                fprintf(stderr,
                        "saccade eval reading: --readers: a list of counts 0..%d, e.g. 0,2,4\n",
                        SIM_READERS_MAX);
                return 2;
            }
            if (!n_settings) {
                fprintf(stderr, "saccade eval reading: --readers: empty list\n");
                return 2;
            }
            break;
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
            if (cli_parse_split("eval reading", optarg, &split_val) < 0)
                return 2;
            break;
        case 'u': {
            n_sure = 0;
            const char *p = optarg;
            while (*p) {
                char *end;
                double v = strtod(p, &end);
                if (end == p || !(v >= 0 && v <= 1) || n_sure == SIM_READERS_MAX / 2 ||
                    (*end && *end != ',')) {
                    fprintf(stderr,
                            "saccade eval reading: --sure: confidences 0..1 by reader distance "
                            "1..%d, e.g. 0.6,0.6,0.8,0.9\n",
                            SIM_READERS_MAX / 2);
                    return 2;
                }
                sure[n_sure++] = (float)v;
                p = *end ? end + 1 : end;
            }
            break;
        }
        case 'P':
            if (cli_parse_int("eval reading", "--place", optarg, 0, SIM_READERS_MAX / 2, &place) <
                0)
                return 2;
            break;
        case 'T':
            n_sizes = cli_parse_int_list(optarg, SCENE_TEXT_PX_MIN, SCENE_TEXT_PX_MAX, sizes, 8);
            if (n_sizes < 0) {
                fprintf(stderr,
                        "saccade eval reading: --text: up to 8 font sizes %d..%d px, e.g. "
                        "16,22,28,36\n",
                        SCENE_TEXT_PX_MIN, SCENE_TEXT_PX_MAX);
                return 2;
            }
            if (!n_sizes) {
                fprintf(stderr, "saccade eval reading: --text: empty list\n");
                return 2;
            }
            break;
        case 'L':
            if (cli_parse_on_off("eval reading", "--lexicon", optarg, &lexicon) < 0)
                return 2;
            break;
        case 'K':
            if (cli_parse_int("eval reading", "--looks", optarg, 1, SIM_READING_WORD_LOOKS_MAX,
                              &word_looks) < 0)
                return 2;
            break;
        case 'R': prose = 1; break;
        case 'C':
            if (cli_parse_on_off("eval reading", "--capitals", optarg, &capitals) < 0)
                return 2;
            break;
        case 'V':
            if (cli_parse_on_off("eval reading", "--preview", optarg, &preview) < 0)
                return 2;
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
    const int natural = sizes[0] != 0;
    if (lexicon >= 0 && !natural) {
        fprintf(stderr, "saccade eval reading: --lexicon: natural text only (--text SIZES); "
                        "fixed-pitch pages are read letter by letter\n");
        return 2;
    }
    if (prose && !natural) {
        fprintf(stderr, "saccade eval reading: --prose: natural text only (--text SIZES)\n");
        return 2;
    }
    if ((word_looks || preview >= 0 || capitals >= 0) && (!natural || lexicon == 0)) {
        fprintf(stderr,
                "saccade eval reading: --looks, --preview, --capitals: natural text read with the "
                "vocabulary only (--text SIZES, not --lexicon off)\n");
        return 2;
    }
    if (natural && !readers_set) { /* every setting natural text ships readers for: 0..8 */
        static const int shipped[] = {0, 2, 4, 6, 8};
        memcpy(settings, shipped, sizeof(shipped));
        n_settings = 5;
    }
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
    EvalProgress pr = {NULL, NULL, NULL, note_stderr, NULL};
    EvalReadingOptions ro = {.model = model,
                             .n_settings = n_settings,
                             .words = words,
                             .page = page,
                             .seed = seed,
                             .split_val = split_val,
                             .set_place = place != SIM_READING_PLACE_LEFTMOST,
                             .place = place,
                             .no_lexicon = lexicon == 0,
                             .prose = prose,
                             .no_capitals = capitals == 0,
                             .word_looks = word_looks,
                             .set_preview = preview >= 0,
                             .preview = preview,
                             .progress = !quiet && !json ? &pr : NULL};
    memcpy(ro.settings, settings, sizeof(ro.settings));
    memcpy(ro.sure, sure, sizeof(ro.sure));
    ro.n_sure = n_sure;
    /* the header's note of tuned moves (none by default; a few dozen bytes, never cut) */
    char moves_note[192] = "";
    size_t mn = 0;
    if (word_looks)
        mn = (size_t)snprintf(moves_note, sizeof(moves_note),
                              ", moving on from a word after %d look%s", word_looks,
                              word_looks == 1 ? "" : "s");
    if (preview >= 0 && preview != SIM_READING_PREVIEW)
        mn += (size_t)snprintf(moves_note + mn, sizeof(moves_note) - mn,
                               preview ? ", first looks aimed past what the look before read"
                                       : ", first looks aimed at a word's first letter");
    if (capitals == 0)
        snprintf(moves_note + mn, sizeof(moves_note) - mn, ", no capitals added");
    EvalReadingResult *res = calloc(1, sizeof(*res));
    if (!res) {
        sc_log_error("eval reading: out of memory");
        return 1;
    }
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "task", "reading");
    cJSON_AddStringToObject(root, "split", split_val ? "val" : "test");
    cJSON_AddNumberToObject(root, "words_per_family", words);
    if (natural) {
        cJSON_AddStringToObject(root, "text", "natural");
        cJSON_AddBoolToObject(root, "prose", prose);
        cJSON_AddBoolToObject(root, "lexicon", lexicon != 0);
        if (lexicon != 0) {
            cJSON_AddNumberToObject(root, "word_looks",
                                    word_looks ? word_looks : SIM_READING_WORD_LOOKS);
            cJSON_AddBoolToObject(root, "preview", preview >= 0 ? preview : SIM_READING_PREVIEW);
            cJSON_AddBoolToObject(root, "capitals", capitals != 0);
        }
    } else {
        cJSON_AddNumberToObject(root, "pitch_px", TEXTLINE_PITCH);
        cJSON_AddNumberToObject(root, "font_px", TEXTLINE_PX);
    }
    cJSON *fj = cJSON_AddArrayToObject(root, "families");
    cJSON *rows = cJSON_AddArrayToObject(root, "rows");
    /* the header and at most MAX_SETTINGS rows of 18 numbers a size: a few hundred bytes each;
     * a row that would not fit is an error (never a silently shortened file) */
    char csv[32768];
    size_t cn = (size_t)snprintf(csv, sizeof(csv),
                                 "%sreaders,params,dense_macs_per_fixation,words,word_accuracy,"
                                 "ci95_lo,ci95_hi,letter_accuracy,letters_per_fixation,"
                                 "fixations_per_word,saccade_letters,fixation_ms,"
                                 "word_accuracy_no_rule,ci95_no_rule_lo,ci95_no_rule_hi,"
                                 "refixation_rate,skip_rate,regression_rate\n",
                                 natural ? "font_px," : "");
    int rc = 0;
    for (int zi = 0; zi < n_sizes && rc == 0; zi++) {
        ro.text_px = sizes[zi];
        memset(res, 0, sizeof(*res));
        if (eval_reading(&ro, res) < 0) {
            rc = -1;
            break;
        }
        const char *const *fonts = res->families;
        const int n_fonts = res->n_families;
        char fam_list[512];
        size_t fl = 0;
        fam_list[0] = 0;
        for (int f = 0; f < n_fonts && fl < sizeof(fam_list); f++)
            fl += (size_t)snprintf(fam_list + fl, sizeof(fam_list) - fl, "%s%s", f ? ", " : "",
                                   fonts[f]);
        if (zi == 0)
            for (int f = 0; f < n_fonts; f++)
                cJSON_AddItemToArray(fj, cJSON_CreateString(fonts[f]));
        if (!json) {
            if (natural)
                printf("reading natural text%s: %d words per family in %s (%s split), %d px "
                       "font, %s%s\n",
                       prose ? " (prose)" : "", words, fam_list, split_val ? "validation" : "test",
                       sizes[zi], lexicon == 0 ? "letter by letter" : "with the vocabulary",
                       moves_note);
            else
                printf("reading: %d words per family in %s (%s split), %d px letters on a %d px "
                       "pitch\n",
                       words, fam_list, split_val ? "validation" : "test", TEXTLINE_PX,
                       TEXTLINE_PITCH);
            printf("%7s %10s %12s %6s %22s %8s %9s %9s %8s %7s %6s %6s %7s\n", "readers", "params",
                   "MACs/fix", "words", "word accuracy [95% CI]", "letters", "letters/", "fix/word",
                   "saccade", "fix ms", "refix", "skip", "regress");
        }
        for (int si = 0; si < res->n_rows && rc == 0; si++) {
            const EvalReadingRow *rw = &res->rows[si];
            const EvalReadingTally t = rw->all;
            const EvalReadingTally *per = rw->per_family;
            const size_t params = rw->params;
            const long macs = rw->macs;
            double acc = (double)t.words_right / (double)t.words, lo, hi;
            eval_wilson(t.words_right, t.words, &lo, &hi);
            double raw = (double)t.words_right_raw / (double)t.words, rlo, rhi;
            eval_wilson(t.words_right_raw, t.words, &rlo, &rhi);
            double lpf = (double)t.cells_read / (double)t.fixations;
            double fpw = (double)t.fixations / (double)t.words;
            double sl = t.fwd_saccades ? t.fwd_letters / (double)t.fwd_saccades : 0.0;
            double fms = t.fix_closed ? t.fix_ms / (double)t.fix_closed : 0.0;
            double lacc = (double)t.letters_right / (double)t.letters;
            double refix =
                t.words_fixated ? (double)t.words_refixated / (double)t.words_fixated : 0.0;
            double skip = (double)(t.words - t.words_fixated) / (double)t.words;
            double regr = t.line_saccades ? (double)t.regressions / (double)t.line_saccades : 0.0;
            cJSON *r = cJSON_CreateObject();
            if (natural)
                cJSON_AddNumberToObject(r, "font_px", sizes[zi]);
            cJSON_AddNumberToObject(r, "readers", settings[si]);
            cJSON_AddNumberToObject(r, "params", (double)params);
            cJSON_AddNumberToObject(r, "dense_macs_per_fixation", (double)macs);
            cJSON_AddNumberToObject(r, "words", (double)t.words);
            cJSON_AddNumberToObject(r, "word_accuracy", acc);
            cJSON_AddItemToObject(r, "ci95", eval_wilson_json(t.words_right, t.words));
            cJSON_AddNumberToObject(r, "word_accuracy_no_rule", raw);
            cJSON_AddItemToObject(r, "ci95_no_rule", eval_wilson_json(t.words_right_raw, t.words));
            cJSON_AddNumberToObject(r, "letter_accuracy", lacc);
            cJSON_AddNumberToObject(r, "letters_per_fixation", lpf);
            cJSON_AddNumberToObject(r, "fixations_per_word", fpw);
            cJSON_AddNumberToObject(r, "saccade_letters", sl);
            cJSON_AddNumberToObject(r, "fixation_ms", fms);
            cJSON_AddNumberToObject(r, "fixations", (double)t.fixations);
            cJSON_AddNumberToObject(r, "refixation_rate", refix);
            cJSON_AddNumberToObject(r, "skip_rate", skip);
            cJSON_AddNumberToObject(r, "regression_rate", regr);
            /* what each reader distance buys: the letters whose kept read it gave */
            cJSON *bd = cJSON_AddArrayToObject(r, "by_distance");
            for (int d = 0; d <= EVAL_READING_MAX_SURE; d++) {
                cJSON *e = cJSON_CreateObject();
                cJSON_AddNumberToObject(e, "distance", d);
                cJSON_AddNumberToObject(e, "letters", (double)t.dist_letters[d]);
                cJSON_AddNumberToObject(e, "right", (double)t.dist_right[d]);
                cJSON_AddItemToArray(bd, e);
            }
            /* fixations by word length, against the fewest the readers' reach allows
             * (EvalReadingTally.floor_*) */
            cJSON *bl = cJSON_AddArrayToObject(r, "by_length");
            for (int n = 1; n <= EVAL_READING_LEN_MAX; n++) {
                if (!t.len_words[n])
                    continue;
                cJSON *e = cJSON_CreateObject();
                cJSON_AddNumberToObject(e, "letters", n);
                cJSON_AddNumberToObject(e, "words", (double)t.len_words[n]);
                cJSON_AddNumberToObject(e, "fixations_per_word",
                                        (double)t.len_fixations[n] / (double)t.len_words[n]);
                cJSON_AddItemToArray(bl, e);
            }
            const int span_letters = 2 * rw->reach + 1;
            const double floor_word = (double)t.floor_word / (double)t.words;
            const double floor_line = (double)t.floor_line / (double)t.words;
            cJSON *fj_floor = cJSON_AddObjectToObject(r, "fixation_floor");
            cJSON_AddNumberToObject(fj_floor, "letters_per_fixation", span_letters);
            cJSON_AddNumberToObject(fj_floor, "one_word_a_fixation", floor_word);
            if (natural)
                cJSON_AddNumberToObject(fj_floor, "across_words", floor_line);
            cJSON *pf = cJSON_AddArrayToObject(r, "per_family");
            for (int f = 0; f < n_fonts; f++) {
                cJSON *e = cJSON_CreateObject();
                cJSON_AddStringToObject(e, "family", fonts[f]);
                cJSON_AddNumberToObject(e, "words", (double)per[f].words);
                cJSON_AddNumberToObject(e, "word_accuracy",
                                        (double)per[f].words_right / (double)per[f].words);
                cJSON_AddItemToObject(e, "ci95",
                                      eval_wilson_json(per[f].words_right, per[f].words));
                cJSON_AddNumberToObject(e, "word_accuracy_no_rule",
                                        (double)per[f].words_right_raw / (double)per[f].words);
                cJSON_AddNumberToObject(e, "fixations_per_word",
                                        (double)per[f].fixations / (double)per[f].words);
                cJSON_AddItemToArray(pf, e);
            }
            cJSON_AddItemToArray(rows, r);
            if (natural && cn < sizeof(csv))
                cn += (size_t)snprintf(csv + cn, sizeof(csv) - cn, "%d,", sizes[zi]);
            int row =
                cn < sizeof(csv)
                    ? snprintf(csv + cn, sizeof(csv) - cn,
                               "%d,%zu,%ld,%ld,%.6f,%.6f,%.6f,%.6f,%.4f,%.4f,%.4f,%.1f,%.6f,%.6f,"
                               "%.6f,%.4f,%.4f,%.4f\n",
                               settings[si], params, macs, t.words, acc, lo, hi, lacc, lpf, fpw, sl,
                               fms, raw, rlo, rhi, refix, skip, regr)
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
                printf(
                    "%7d %10zu %12ld %6ld %7.2f%% [%5.2f, %6.2f] %7.2f%% %9.2f %9.2f %8.2f %7.0f "
                    "%5.1f%% %5.1f%% %6.1f%%\n",
                    settings[si], params, macs, t.words, 100 * acc, 100 * lo, 100 * hi, 100 * lacc,
                    lpf, fpw, sl, fms, 100 * refix, 100 * skip, 100 * regr);
                printf("%7s   %-19s %6ld %7.2f%% [%5.2f, %6.2f]\n", "", "without the I/l rule",
                       t.words, 100 * raw, 100 * rlo, 100 * rhi);
                long all_l = 0;
                for (int d = 0; d <= EVAL_READING_MAX_SURE; d++)
                    all_l += t.dist_letters[d];
                printf("%7s   letters read by the reader at distance", "");
                for (int d = 0; d <= EVAL_READING_MAX_SURE && all_l > 0; d++)
                    if (t.dist_letters[d])
                        printf("  %d: %.1f%% (%.1f%% right)", d,
                               100.0 * (double)t.dist_letters[d] / (double)all_l,
                               100.0 * (double)t.dist_right[d] / (double)t.dist_letters[d]);
                printf("\n");
                if (natural) {
                    printf("%7s   fixations a word by its letters:", "");
                    for (int n = 1; n <= EVAL_READING_LEN_MAX; n++)
                        if (t.len_words[n])
                            printf("  %d%s: %.2f (%ld)", n, n == EVAL_READING_LEN_MAX ? "+" : "",
                                   (double)t.len_fixations[n] / (double)t.len_words[n],
                                   t.len_words[n]);
                    printf("\n%7s   the fewest the readers' reach allows (%d letter%s a fixation, "
                           "every read right): %.2f a word reading one word a fixation, %.2f "
                           "across words\n",
                           "", span_letters, span_letters == 1 ? "" : "s", floor_word, floor_line);
                }
                for (int f = 0; f < n_fonts; f++) {
                    double a = (double)per[f].words_right / (double)per[f].words, l2, h2;
                    eval_wilson(per[f].words_right, per[f].words, &l2, &h2);
                    printf("%7s   %-19s %6ld %7.2f%% [%5.2f, %6.2f] %7.2f%% no rule %9.2f\n", "",
                           fonts[f], per[f].words, 100 * a, 100 * l2, 100 * h2,
                           100.0 * (double)per[f].words_right_raw / (double)per[f].words,
                           (double)per[f].fixations / (double)per[f].words);
                }
            }
        }
    }
    if (rc < 0 && !sc_last_error()[0])
        sc_set_error("eval reading failed");
    cJSON *hum = cJSON_AddObjectToObject(root, "human");
    cJSON_AddStringToObject(hum, "source", "Rayner 1998, Psychological Bulletin 124(3)");
    cJSON_AddNumberToObject(hum, "fixations_per_word", 1.2);
    cJSON_AddStringToObject(hum, "saccade_letters", "7-9");
    cJSON_AddStringToObject(hum, "fixation_ms", "225-250");
    cJSON_AddStringToObject(hum, "letters_right_of_fixation", "7-8 (identified)");
    cJSON_AddStringToObject(hum, "regression_rate", "10-15% of saccades");
    cJSON_AddStringToObject(hum, "fixated", "content words about 85%, function words about 35%");
    if (rc == 0 && !json)
        printf("%7s %s\n", "human",
               "Rayner 1998: about 1.2 fixations per word, saccades of 7-9 letters, fixations of "
               "225-250 ms, letters identified to about 7-8 right of fixation, 10-15% of "
               "saccades regressions, content words fixated about 85% of the time (function "
               "words 35%)");
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
    free(res);
    if (rc) {
        sc_log_error("%s", sc_last_error());
        return 1;
    }
    return 0;
}
