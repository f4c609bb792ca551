/* eval/pool.c: the experiments' worker threads (see pool.h). */
#include "eval/pool.h"

#include <pthread.h>
#include <stdio.h>

#include "core/log.h"

typedef struct Pool {
    const EvalPoolSpec *s;
    long next, done;
    int failed;
    char err[512];
    pthread_mutex_t lock;
} Pool;

static void *pool_worker(void *arg)
{
    Pool *p = arg;
    const EvalPoolSpec *s = p->s;
    EvalEye *eye = s->model ? eval_eye_create_from(s->model, s->world_w, s->world_h, &s->eye)
                            : eval_eye_create(s->model_path, s->world_w, s->world_h, &s->eye);
    pthread_mutex_lock(&p->lock);
    if (!eye && !p->failed) {
        p->failed = 1;
        snprintf(p->err, sizeof(p->err), "%s", sc_last_error());
    }
    pthread_mutex_unlock(&p->lock);
    for (;;) {
        pthread_mutex_lock(&p->lock);
        long i = p->failed ? s->n : p->next++;
        pthread_mutex_unlock(&p->lock);
        if (i >= s->n)
            break;
        int rc = s->job(s->ctx, eye, i);
        pthread_mutex_lock(&p->lock);
        if (rc < 0 && !p->failed) {
            p->failed = 1;
            snprintf(p->err, sizeof(p->err), "%s", sc_last_error());
        }
        p->done++;
        if (s->progress && s->progress->update) {
            char msg[96] = "";
            if (s->status)
                s->status(s->ctx, msg, sizeof(msg));
            s->progress->update(s->progress->user, p->done, s->n, msg);
        }
        pthread_mutex_unlock(&p->lock);
    }
    eval_eye_destroy(&eye);
    return NULL;
}

int eval_pool_run(const EvalPoolSpec *spec)
{
    Pool p = {spec, 0, 0, 0, "", PTHREAD_MUTEX_INITIALIZER};
    const EvalProgress *pr = spec->progress;
    if (pr && pr->begin)
        pr->begin(pr->user, spec->label);
    pthread_t th[EVAL_MAX_THREADS];
    int started = 0;
    for (int t = 1; t < spec->threads && t < EVAL_MAX_THREADS; t++) {
        if (pthread_create(&th[started], NULL, pool_worker, &p) != 0)
            break;
        started++;
    }
    pool_worker(&p);
    for (int t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    pthread_mutex_destroy(&p.lock);
    if (pr && pr->end)
        pr->end(pr->user);
    if (p.failed) {
        sc_set_error("%s", p.err);
        return -1;
    }
    return 0;
}
