/* The trainer's thread pool when it cannot be made: a worker thread or a barrier that fails to
 * start makes classifier_train return NULL with a one-line error, after letting go and joining
 * the workers already started (no hang) and freeing everything (LeakSanitizer in the ASan
 * build). pthread_create and pthread_barrier_init are wrapped (-Wl,--wrap) to fail on demand. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "classifier/trainer.h"
#include "core/log.h"
#include "core/rng.h"
#include "test.h"

int __real_pthread_create(pthread_t *th, const pthread_attr_t *a, void *(*fn)(void *), void *arg);
int __wrap_pthread_create(pthread_t *th, const pthread_attr_t *a, void *(*fn)(void *), void *arg);
int __real_pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *a, unsigned n);
int __wrap_pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *a, unsigned n);

/* the call (counted from 1) that fails; 0: none */
static int fail_create_at, fail_barrier_at, creates, barriers;

int __wrap_pthread_create(pthread_t *th, const pthread_attr_t *a, void *(*fn)(void *), void *arg)
{
    if (++creates == fail_create_at)
        return 11; /* EAGAIN */
    return __real_pthread_create(th, a, fn, arg);
}

int __wrap_pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *a, unsigned n)
{
    if (++barriers == fail_barrier_at)
        return 12; /* ENOMEM */
    return __real_pthread_barrier_init(b, a, n);
}

static void tiny(Dataset *ds, TrainParams *p, int threads)
{
    const char *names[3] = {"x", "y", "nothing"};
    dataset_alloc(ds, "tiny", 3, names, 2, 16, 16);
    Rng r;
    rng_seed(&r, 5);
    for (int i = 0; i < 16; i++) {
        float *x = ds->train_x + (size_t)i * DATASET_PATCH_N;
        for (int k = 0; k < DATASET_PATCH_N; k++)
            x[k] = (i % 2 ? k % 28 : k / 28) < 14 ? (float)rng_uniform(&r) : 0.0f;
        ds->train_y[i] = ds->test_y[i] = (uint8_t)(i % 2);
        memcpy(ds->test_x + (size_t)i * DATASET_PATCH_N, x, sizeof(float) * DATASET_PATCH_N);
    }
    train_params_default(p);
    p->epochs = 2;
    p->batch = 8;
    p->hidden[0] = 16;
    p->hidden[1] = 8;
    p->augment = 0;
    p->context = 0;
    p->threads = threads;
    p->seed = 3;
}

static void train_expect(int threads, int create_at, int barrier_at, const char *want)
{
    Dataset ds;
    TrainParams p;
    TrainSummary s;
    tiny(&ds, &p, threads);
    creates = barriers = 0;
    fail_create_at = create_at;
    fail_barrier_at = barrier_at;
    Classifier *c = classifier_train(&ds, &p, &s);
    if (want) {
        CHECK(c == NULL && strstr(sc_last_error(), want) && !strchr(sc_last_error(), '\n'),
              "%d threads, create %d, barrier %d fails: %s", threads, create_at, barrier_at,
              c ? "trained anyway" : sc_last_error());
    } else {
        CHECK(c != NULL, "%d threads: %s", threads, sc_last_error());
    }
    classifier_destroy(&c);
    dataset_free(&ds);
}

int main(void)
{
    train_expect(4, 0, 0, NULL); /* the wrappers pass through */
    CHECK(creates == 3 && barriers == 3, "%d creates, %d barriers", creates, barriers);
    train_expect(4, 1, 0, "cannot start a worker thread"); /* none started */
    train_expect(4, 3, 0, "cannot start a worker thread"); /* two waiting at the gate */
    for (int b = 1; b <= 3; b++)
        train_expect(4, 0, b, "barriers");
    return TEST_DONE();
}
