/* test_scenes: the eye moves on (issue 19, section 3). On every shipped scene file
 * (the .scene files in assets/scenes) and on the built-in `motion` scene, with the scene's own
 * reader and the shipped eye (pursuit on), over SECONDS of simulated time and each seed:
 *   - at least 80% of the labelled objects that the scene's reader can name (its label is one
 *     of the reader's classes: digits, single glyphs) are read, summed over the seeds: a
 *     fixation on the object read its label. A word of several letters is no class of the
 *     reader (words are the reading mode's, `--scene words`): it is not counted there, and is
 *     reported as read by letter when a fixation on it read one of its letters (as written);
 *   - no object, labelled or not, takes more than a third of a run's fixations.
 * "On the object" is the fixation record's `object` (the nearest object centre within 1 deg of
 * the landing point): scene ground truth, used here for scoring only; the eye never sees it.
 * The run's own read of each object (sim_read_update: the first believed read, else the most
 * confident) is printed beside, not checked.
 * usage: test_scenes SECONDS SEEDS [SCENE...]
 *   SEEDS: 1,2,3; default scenes: every .scene in $SACCADE_DATA_DIR/assets/scenes, then motion */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/paths.h"
#include "sim/sim.h"
#include "sim/sim_model.h"
#include "test.h"

#define MAX_SCENES 32

static int label_read(const char *label, const char *read)
{
    if (!read || !strcmp(read, ""))
        return 0;
    if (!strcmp(label, read))
        return 1;
    /* a word: one of its letters, as written */
    return strlen(label) > 1 && strlen(read) == 1 && strchr(label, read[0]) != NULL;
}

static int is_class(const SimClassifier *cls, const char *label)
{
    for (int i = 0; i < cls->n_classes; i++)
        if (i != cls->nothing_class && !strcmp(cls->class_names[i], label))
            return 1;
    return 0;
}

typedef struct Tally {
    int labelled, read, read_rule_right, words, words_by_letter, fixations;
    int worst_count, worst_fixations;
    char worst[64];
} Tally;

static void run_scene(const char *scene_arg, double seconds, const int *seeds, int n_seeds,
                      Tally *t)
{
    memset(t, 0, sizeof(*t));
    for (int si = 0; si < n_seeds; si++) {
        SceneSpec spec;
        REQUIRE(scene_spec_parse(&spec, scene_arg) == 0, "%s: %s", scene_arg, sc_last_error());
        SimConfig cfg;
        sim_config_default(&cfg);
        Sim *sim = sim_create(&cfg, &spec, (uint64_t)seeds[si]);
        REQUIRE(sim, "%s: %s", scene_arg, sc_last_error());
        SimModelChoice choice;
        SimModel *model = NULL;
        REQUIRE(sim_model_choose(&spec, sim_scene(sim), NULL, &choice) == 0 &&
                    (model = sim_model_open(&choice)),
                "%s: %s", scene_arg, sc_last_error());
        sim_set_classifier(sim, sim_model_hook(model));
        const SimClassifier *cls = sim_classifier(sim);
        long ticks = (long)(seconds * 1000.0 / cfg.tick_ms + 0.5);
        for (long i = 0; i < ticks; i++)
            sim_tick(sim, NULL, 0);

        const Scene *sc = sim_scene(sim);
        const SceneObject *o = scene_objects(sc);
        int n_obj = scene_object_count(sc), n_fix = sim_fixation_count(sim);
        int on[SCENE_MAX_OBJECTS] = {0}, read[SCENE_MAX_OBJECTS] = {0};
        SimRead rule[SCENE_MAX_OBJECTS];
        for (int i = 0; i < n_obj; i++)
            rule[i] = (SimRead){-1, 0, 0, -1};
        for (int i = 0; i < n_fix; i++) {
            const SimFixation *f = sim_fixation(sim, i);
            if (f->object < 0 || f->object >= n_obj)
                continue;
            on[f->object]++;
            sim_read_update(sim, i, &rule[f->object]);
            if (f->label >= 0 && f->label < cls->n_classes &&
                label_read(o[f->object].label, cls->class_names[f->label]))
                read[f->object] = 1;
        }
        printf("  %s seed %d: %d fixations |", scene_arg, seeds[si], n_fix);
        for (int i = 0; i < n_obj; i++) {
            const char *lab = o[i].label[0] ? o[i].label : "-";
            int right = rule[i].label >= 0 && !strcmp(cls->class_names[rule[i].label], o[i].label);
            printf(" %s:%d%s%s", lab, on[i], read[i] ? "*" : "", right ? "r" : "");
            if (o[i].label[0] && is_class(cls, o[i].label)) {
                t->labelled++;
                t->read += read[i];
                t->read_rule_right += right;
            } else if (o[i].label[0]) {
                t->words++;
                t->words_by_letter += read[i];
            }
            if (on[i] * t->worst_fixations > t->worst_count * n_fix || t->worst_fixations == 0) {
                t->worst_count = on[i];
                t->worst_fixations = n_fix;
                snprintf(t->worst, sizeof t->worst, "%s (seed %d)", lab, seeds[si]);
            }
            CHECK(3 * on[i] <= n_fix, "%s seed %d: object %d (%s) took %d of %d fixations",
                  scene_arg, seeds[si], i, lab, on[i], n_fix);
        }
        printf("\n");
        t->fixations += n_fix;
        sim_model_close(&model);
        sim_destroy(&sim);
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    REQUIRE(argc >= 3, "usage: test_scenes SECONDS SEEDS [SCENE...]");
    double seconds = atof(argv[1]);
    int seeds[16], n_seeds = 0;
    for (char *p = argv[2]; *p && n_seeds < 16;) {
        seeds[n_seeds++] = (int)strtol(p, &p, 10);
        if (*p == ',')
            p++;
        else
            break;
    }
    REQUIRE(seconds > 0 && n_seeds > 0, "bad SECONDS or SEEDS");
    static char paths[MAX_SCENES][2048];
    char *scenes[MAX_SCENES];
    int n = 0;
    if (argc > 3) {
        for (int i = 3; i < argc && n < MAX_SCENES; i++)
            scenes[n++] = argv[i];
    } else {
        char dir[1024];
        REQUIRE(paths_data_file(dir, sizeof dir, "assets/scenes"), "data dir too long");
        DIR *d = opendir(dir);
        REQUIRE(d, "%s: cannot open", dir);
        struct dirent *de;
        while ((de = readdir(d)) && n < MAX_SCENES - 1) {
            size_t len = strlen(de->d_name);
            if (len > 6 && !strcmp(de->d_name + len - 6, ".scene")) {
                snprintf(paths[n], sizeof paths[n], "%s/%s", dir, de->d_name);
                scenes[n] = paths[n];
                n++;
            }
        }
        closedir(d);
        REQUIRE(n > 0, "no .scene file in %s", dir);
        qsort(scenes, (size_t)n, sizeof scenes[0], cmp_str);
        scenes[n++] = "motion";
    }
    for (int i = 0; i < n; i++) {
        Tally t;
        run_scene(scenes[i], seconds, seeds, n_seeds, &t);
        printf("%s, %g s x %d seeds: %d of %d labelled objects read (%.0f%%; the run's read "
               "right: %d; words read by a letter: %d of %d), most fixations on one object: %s "
               "%d of %d\n",
               scenes[i], seconds, n_seeds, t.read, t.labelled,
               t.labelled ? 100.0 * t.read / t.labelled : 0.0, t.read_rule_right, t.words_by_letter,
               t.words, t.worst, t.worst_count, t.worst_fixations);
        CHECK(t.labelled > 0 && 5 * t.read >= 4 * t.labelled,
              "%s: %d of %d labelled objects read, under 80%%", scenes[i], t.read, t.labelled);
    }
    return TEST_DONE();
}
