/* saccade train: trains the centre-only classifier and writes its weights file. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "classifier/classifier.h"
#include "classifier/trainer.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/eval_progress.h"
#include "core/log.h"
#include "core/output.h"
#include "core/paths.h"
#include "eval/eval.h"

static void train_usage(FILE *f)
{
    EvalEyeRounds er;
    eval_eye_rounds_mnist(&er);
    fprintf(
        f,
        "usage: saccade train --dataset mnist|glyphs|chars|readerK|textK [--epochs N] [--out "
        "FILE]\n"
        "                     [--seed N]\n"
        "                     [--threads N] [--no-holdout] [--hidden W1,W2,..] [--batch N]\n"
        "                     [--lr X] [--dropout P] [--input pixels|v1|v2] [--init FILE]\n"
        "                     [--eye-rounds N] [--eye-epochs N] [--eye-canvases N]\n"
        "                     [--eye-frac F] [--digits-frac F] [--quiet]\n"
        "\n"
        "Trains the dense centre-only classifier (ReLU, softmax, AdamW; mnist 2352-768-384-11,\n"
        "glyphs and readers 2352-256-128-63, all on pixels plus V1 energies) on centred examples\n"
        "with sub-pixel landing jitter (up to 2 px), contrast and thickness changes, stray\n"
        "clutter fragments and (mnist) small rotation, scale and elastic changes about the\n"
        "centre, plus \"nothing here\" examples (objects 5 px or more off-centre, clutter,\n"
        "blanks); then (mnist) rounds of learning from the patches the eye delivers\n"
        "(--eye-rounds). Same seed, same weights byte for byte (whatever --threads).\n"
        "\n"
        "  --dataset D   mnist (the official 60,000 training digits; the last %d are the\n"
        "                validation split), readerK (K = +1, -1, +2 ..: the extra readers\n"
        "                of 'run --scene words-grid --readers N', glyphs K letter cells from\n"
        "                the gaze as the retina delivers them), textK (K = 0, +1, -1, ..: the\n"
        "                readers of natural text, 'run --scene words', the letter K segments\n"
        "                from the gaze's as the eye segments it), glyphs (A-Z, a-z, 0-9 from "
        "training "
        "font\n"
        "                families; two validation families; three held-out test families) or\n"
        "                chars (the glyphs plus handwritten digits, see --digits-frac)\n"
        "  --epochs N    passes over the training set (default 48 for mnist, 30 for glyphs:\n"
        "                the settings of the shipped models)\n"
        "  --out FILE    weights file (default assets/models/<dataset>.wts in the data dir)\n"
        "  --seed N      random seed (default 1)\n"
        "  --threads N   worker threads, 1..%d (default 2)\n"
        "  --no-holdout  train on the validation split too. By default it is left out and\n"
        "                accuracy is reported on it (mnist: the validation digits of 'saccade\n"
        "                eval --split val'; glyphs: the validation families); the shipped\n"
        "                models are trained that way, so validation stays unseen. Training\n"
        "                never measures the test split: that is for 'saccade eval' only\n"
        "  --hidden LIST hidden layer widths, comma-separated (default: the shipped model's)\n"
        "  --batch N     minibatch size (default 64)\n"
        "  --lr X        Adam learning rate at the start of the cosine schedule (default\n"
        "                0.001)\n"
        "  --dropout P   hidden-unit dropout rate while training, 0..0.9 (default 0)\n"
        "  --input I     what the network reads: pixels (the 28x28 fovea), v1 (the pixels\n"
        "                plus fixed V1 energies: 8 orientations on a 14x14 grid; default) or\n"
        "                v2 (v1 plus a fixed second stage, the energies' own energies: 8 x 4\n"
        "                orientations on a 7x7 grid, as in scattering networks)\n"
        "  --init FILE   start from these weights (same shape) instead of training from\n"
        "                random ones; with --eye-rounds, the eye rounds start from it\n"
        "  --eye-rounds N (mnist) after training, N rounds of learning from the eye: the\n"
        "                simulator's eye, with the reader so far, reads cluttered60 canvases\n"
        "                of the training digits (never the validation ones) as 'eval' does,\n"
        "                and every read's foveal patch becomes a training example, labelled\n"
        "                by where the digit was: the digit within %.1f px of the gaze on both\n"
        "                axes, \"nothing\" %.0f px or more away (default %d for mnist)\n"
        "  --eye-epochs N epochs of each eye round, the eye's patches mixed in (default %d)\n"
        "  --eye-canvases N canvases the eye reads per round (default %ld)\n"
        "  --eye-frac F  the eye's patches per epoch, as a fraction of the training digits\n"
        "                (default %.1f)\n"
        "  --digits-frac F (glyphs, chars) handwritten digits beside the fonts' glyphs: each\n"
        "                epoch adds F times as many examples as there are glyphs, drawn from\n"
        "                the MNIST training digits (never the validation ones) and labelled\n"
        "                as the digit classes (default 0 for glyphs; %.2f for chars, the\n"
        "                glyph set with handwritten digits: the character model that tells\n"
        "                letters from digits when a scene of both joins it to mnist)\n"
        "  --quiet       no progress bar\n",
        DATASET_MNIST_VAL_N, TRAINER_MAX_THREADS, er.pos_px, er.neg_px, er.rounds, er.epochs,
        er.canvases, er.frac, TRAIN_CHARS_DIGITS_FRAC);
}

static void train_note(void *ctx, const char *line)
{
    Progress *bar = ctx;
    progress_done(bar);
    fprintf(stderr, "train: %s\n", line);
}

static void on_progress(void *ctx, const TrainProgress *p)
{
    Progress *bar = ctx;
    long done = (long)(p->epoch - 1) * p->batches + p->batch;
    long total = (long)p->epochs * p->batches;
    char msg[128];
    if (p->test_accuracy >= 0)
        snprintf(msg, sizeof(msg), "epoch %d/%d loss %.4f acc %.2f%% validation %.2f%%", p->epoch,
                 p->epochs, p->loss, 100 * p->accuracy, 100 * p->test_accuracy);
    else
        snprintf(msg, sizeof(msg), "epoch %d/%d loss %.4f acc %.2f%%", p->epoch, p->epochs, p->loss,
                 100 * p->accuracy);
    progress_update(bar, done, total, msg);
    if (p->test_accuracy >= 0 && !bar->tty && !bar->quiet)
        fprintf(stderr, "%s\n", msg);
}

int cmd_train(int argc, char **argv)
{
    static const struct option opts[] = {{"dataset", required_argument, 0, 'd'},
                                         {"epochs", required_argument, 0, 'e'},
                                         {"out", required_argument, 0, 'o'},
                                         {"seed", required_argument, 0, 's'},
                                         {"threads", required_argument, 0, 't'},
                                         {"quiet", no_argument, 0, 'q'},
                                         {"no-holdout", no_argument, 0, 'H'},
                                         {"hidden", required_argument, 0, 'W'},
                                         {"batch", required_argument, 0, 'b'},
                                         {"lr", required_argument, 0, 'l'},
                                         {"dropout", required_argument, 0, 'D'},
                                         {"input", required_argument, 0, 'I'},
                                         {"init", required_argument, 0, 'i'},
                                         {"eye-rounds", required_argument, 0, 'R'},
                                         {"eye-epochs", required_argument, 0, 'E'},
                                         {"eye-canvases", required_argument, 0, 'C'},
                                         {"eye-frac", required_argument, 0, 'F'},
                                         {"digits-frac", required_argument, 0, 'G'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    TrainParams tp;
    train_params_default(&tp);
    int epochs_set = 0, hidden_set = 0, input_set = 0;
    double dv;
    const char *dataset = NULL, *out = NULL, *init_path = NULL;
    EvalEyeRounds er;
    eval_eye_rounds_mnist(&er);
    int eye_rounds_set = 0;
    double digits_frac = 0;
    int digits_set = 0;
    DatasetPool pool;
    memset(&pool, 0, sizeof(pool));
    int quiet = 0;
    int iv;
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': dataset = optarg; break;
        case 'e':
            if (cli_parse_int("train", "--epochs", optarg, 1, 1000, &iv) < 0)
                return 2;
            tp.epochs = iv;
            epochs_set = 1;
            break;
        case 'o': out = optarg; break;
        case 's':
            if (cli_parse_u64("train", "--seed", optarg, &tp.seed) < 0)
                return 2;
            break;
        case 't':
            if (cli_parse_int("train", "--threads", optarg, 1, TRAINER_MAX_THREADS, &iv) < 0)
                return 2;
            tp.threads = iv;
            break;
        case 'H': tp.holdout = 0; break;
        case 'W': {
            /* widths 1..CLASSIFIER_MAX_WIDTH, up to CLASSIFIER_MAX_LAYERS - 1 of them */
            char buf[256];
            snprintf(buf, sizeof(buf), "%s", optarg);
            int n = 0;
            for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
                 tok = strtok_r(NULL, ",", &save)) {
                if (n == CLASSIFIER_MAX_LAYERS - 1) {
                    sc_log_error("train: --hidden: at most %d layers", CLASSIFIER_MAX_LAYERS - 1);
                    return 2;
                }
                if (cli_parse_int("train", "--hidden", tok, 1, CLASSIFIER_MAX_WIDTH, &iv) < 0)
                    return 2;
                tp.hidden[n++] = iv;
            }
            if (n == 0 || strlen(optarg) >= sizeof(buf) || optarg[0] == ',' ||
                strstr(optarg, ",,") || optarg[strlen(optarg) - 1] == ',') {
                sc_log_error("train: --hidden '%s': expected widths like 512,256", optarg);
                return 2;
            }
            tp.n_hidden = n;
            hidden_set = 1;
            break;
        }
        case 'b':
            if (cli_parse_int("train", "--batch", optarg, 1, 4096, &iv) < 0)
                return 2;
            tp.batch = iv;
            break;
        case 'D':
            if (cli_parse_double("train", "--dropout", optarg, 0.0, 0.9, &dv) < 0)
                return 2;
            tp.dropout = (float)dv;
            break;
        case 'I':
            if (!strcmp(optarg, "pixels"))
                tp.input_kind = CLASSIFIER_INPUT_PIXELS;
            else if (!strcmp(optarg, "v1"))
                tp.input_kind = CLASSIFIER_INPUT_PIXELS_V1;
            else if (!strcmp(optarg, "v2"))
                tp.input_kind = CLASSIFIER_INPUT_PIXELS_V1_V2;
            else {
                sc_log_error("train: --input '%s': pixels, v1 or v2", optarg);
                return 2;
            }
            input_set = 1;
            break;
        case 'l':
            if (cli_parse_double("train", "--lr", optarg, 1e-6, 1.0, &dv) < 0)
                return 2;
            tp.lr = (float)dv;
            break;
        case 'q': quiet = 1; break;
        case 'i': init_path = optarg; break;
        case 'R':
            if (cli_parse_int("train", "--eye-rounds", optarg, 0, 8, &iv) < 0)
                return 2;
            er.rounds = iv;
            eye_rounds_set = 1;
            break;
        case 'E':
            if (cli_parse_int("train", "--eye-epochs", optarg, 1, 1000, &iv) < 0)
                return 2;
            er.epochs = iv;
            break;
        case 'C':
            if (cli_parse_int("train", "--eye-canvases", optarg, 1, 10000000, &iv) < 0)
                return 2;
            er.canvases = iv;
            break;
        case 'F':
            if (cli_parse_double("train", "--eye-frac", optarg, 0.01, 4.0, &dv) < 0)
                return 2;
            er.frac = (float)dv;
            break;
        case 'G':
            if (cli_parse_double("train", "--digits-frac", optarg, 0.0, 4.0, &dv) < 0)
                return 2;
            digits_frac = dv;
            digits_set = 1;
            break;
        case 'h': train_usage(stdout); return 0;
        default: return cli_bad_option("train", argv, optind);
        }
    }
    if (optind < argc) {
        sc_log_error("train: unexpected argument '%s'", argv[optind]);
        return 2;
    }
    if (!dataset) {
        sc_log_error("train: --dataset mnist|glyphs|chars|readerK is required");
        return 2;
    }
    int reader = !strncmp(dataset, "reader+", 7) || !strncmp(dataset, "reader-", 7) ||
                 !strcmp(dataset, "text0") || !strncmp(dataset, "text+", 5) ||
                 !strncmp(dataset, "text-", 5);
    if (strcmp(dataset, "mnist") && strcmp(dataset, "glyphs") && strcmp(dataset, "chars") &&
        strcmp(dataset, "glyphs-box") && !reader) {
        sc_log_error("train: unknown dataset '%s' (mnist, glyphs, chars, reader+1 .. reader+4, "
                     "reader-1 .. reader-4, text0, text+1 .. text+4, text-1 .. text-4)",
                     dataset);
        return 2;
    }
    /* chars: the glyph set plus handwritten digits (the character model of joined readers) */
    const char *out_name = dataset;
    const int chars = !strcmp(dataset, "chars");
    if (chars) {
        dataset = "glyphs";
        if (!digits_set)
            digits_frac = TRAIN_CHARS_DIGITS_FRAC;
    }
    /* the input, chosen on each dataset's validation split (--holdout): V1 energies won on
     * both (glyphs: 97.2-97.7% against 94.4-95.4% on the two validation fonts) */
    if (!input_set)
        tp.input_kind = CLASSIFIER_INPUT_PIXELS_V1;
    if (!epochs_set && (!strncmp(dataset, "glyphs", 6) || reader))
        tp.epochs = 30; /* the glyph set is smaller and repeated; 30 passes are enough */
    if (strcmp(dataset, "mnist") && !eye_rounds_set)
        er.rounds = 0; /* the eye reads digit canvases: mnist only */
    if (strcmp(dataset, "mnist") && er.rounds > 0) {
        sc_log_error("train: --eye-rounds: mnist only (the eye reads digit canvases)");
        return 2;
    }
    if (digits_set && strcmp(dataset, "glyphs")) {
        sc_log_error("train: --digits-frac: glyphs or chars only (handwritten digits beside the "
                     "fonts)");
        return 2;
    }
    if (!strcmp(dataset, "mnist")) {
        TrainParams m = tp;
        train_params_mnist(&m);
        if (!hidden_set) {
            tp.n_hidden = m.n_hidden;
            memcpy(tp.hidden, m.hidden, sizeof(tp.hidden));
        }
        tp.distort = m.distort;
        tp.context_frac = m.context_frac;
        if (!epochs_set)
            tp.epochs = m.epochs;
    }
    char outbuf[4096];
    if (!out) {
        char rel[64];
        snprintf(rel, sizeof(rel), "assets/models/%s.wts", out_name);
        out = paths_data_file(outbuf, sizeof(outbuf), rel);
        if (!out) {
            sc_log_error("%s: path too long", rel);
            return 1;
        }
    }
    /* before training, not after: the folder exists, the target is absent or a regular file */
    if (output_check(out, NULL, 0) < 0) {
        sc_log_error("%s", sc_last_error());
        return 1;
    }
    Dataset ds;
    if (dataset_load(&ds, dataset) < 0) {
        sc_log_error("%s", sc_last_error());
        return 1;
    }
    if (!strcmp(dataset, "glyphs") && digits_frac > 0) {
        if (dataset_borrow_digits(&ds, &pool) < 0) {
            sc_log_error("%s", sc_last_error());
            dataset_free(&ds);
            return 1;
        }
        tp.pool_x = pool.x;
        tp.pool_y = pool.y;
        tp.pool_n = pool.n;
        tp.pool_frac = (float)digits_frac;
        tp.pool_desc = pool.desc;
    }
    if (!quiet)
        fprintf(stderr, "train: %s, %d training examples (%s)%s%s\n", ds.name,
                ds.n_train - (tp.holdout ? ds.n_val : 0), ds.train_desc,
                tp.holdout ? "; validation held out: " : "", tp.holdout ? ds.val_desc : "");
    Progress bar;
    progress_init(&bar, "train", quiet);
    tp.progress = on_progress;
    tp.progress_ctx = &bar;
    TrainSummary sum;
    memset(&sum, 0, sizeof(sum));
    double t0 = progress_now_s();
    Classifier *init = NULL;
    if (init_path) {
        init = classifier_load(init_path);
        if (init && (strcmp(classifier_dataset(init), ds.name) ||
                     classifier_n_classes(init) != ds.n_classes)) {
            sc_set_error("%s: a %s model, not %s", init_path, classifier_dataset(init), ds.name);
            classifier_destroy(&init);
        } else if (init && classifier_holdout(init) != tp.holdout) {
            sc_set_error("%s: %s the validation split; this training %s", init_path,
                         classifier_holdout(init) ? "held out" : "trained on",
                         tp.holdout ? "holds it out" : "uses it (--no-holdout)");
            classifier_destroy(&init);
        }
        if (!init) {
            progress_done(&bar);
            dataset_free(&ds);
            dataset_pool_free(&pool);
            sc_log_error("%s", sc_last_error());
            return 1;
        }
        /* its shape is the model's */
        tp.input_kind = classifier_input_kind(init);
        tp.n_hidden = classifier_layer_count(init) - 1;
        for (int l = 0; l < tp.n_hidden; l++)
            tp.hidden[l] = classifier_layer_size(init, l + 1);
    }
    Classifier *c = eval_train_reader(&ds, &tp, init, &er, quiet ? NULL : train_note, &bar, &sum);
    const int from_init = init != NULL;
    classifier_destroy(&init);
    progress_done(&bar);
    double secs = progress_now_s() - t0;
    if (!c) {
        dataset_free(&ds);
        dataset_pool_free(&pool);
        sc_log_error("%s", sc_last_error());
        return 1;
    }
    if (classifier_save(c, out) < 0) {
        sc_log_error("%s", sc_last_error());
        classifier_destroy(&c);
        dataset_free(&ds);
        dataset_pool_free(&pool);
        return 1;
    }
    printf("trained %s: %d-", ds.name, classifier_layer_size(c, 0));
    for (int l = 1; l <= classifier_layer_count(c); l++)
        printf("%d%s", classifier_layer_size(c, l), l < classifier_layer_count(c) ? "-" : "");
    char rounds[96] = "";
    if (er.rounds > 0)
        snprintf(rounds, sizeof(rounds), " + %d eye round%s of %d", er.rounds,
                 er.rounds > 1 ? "s" : "", er.epochs);
    printf(" (%zu parameters), %d epochs%s%s (%ld examples), seed %llu, %d thread%s, %.1f s\n",
           classifier_param_count(c),
           from_init && !er.rounds ? tp.epochs
           : from_init             ? 0
                                   : tp.epochs,
           from_init ? " from --init" : "", rounds, sum.examples, (unsigned long long)tp.seed,
           tp.threads, tp.threads > 1 ? "s" : "", secs);
    printf("  last epoch: loss %.4f, accuracy %.2f%% (augmented, with nothing-here examples)\n",
           sum.final_loss, 100 * sum.train_accuracy);
    if (sum.validation)
        printf("  validation centred accuracy: %.2f%% (%s)\n", 100 * sum.test_accuracy,
               ds.val_desc);
    else
        printf("  no held-out accuracy: trained on the validation split too (--no-holdout); the\n"
               "  test split is measured by 'saccade eval' only\n");
    printf("  held-out nothing-here patches called nothing: %.1f%%\n", 100 * sum.nothing_recall);
    printf("  wrote %s (hash %016llx)\n", out, (unsigned long long)classifier_hash(c));
    classifier_destroy(&c);
    dataset_free(&ds);
    dataset_pool_free(&pool);
    return 0;
}
