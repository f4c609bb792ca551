#include "cli/eval_progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

double progress_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void progress_init(Progress *p, const char *label, int quiet)
{
    p->label = label;
    p->quiet = quiet;
    p->tty = isatty(fileno(stderr));
    p->t0 = progress_now_s();
    p->last_draw = -1;
    p->drawn = 0;
}

void progress_update(Progress *p, long done, long total, const char *msg)
{
    if (p->quiet || !p->tty || total <= 0)
        return;
    double now = progress_now_s();
    if (done < total && p->last_draw >= 0 && now - p->last_draw < 0.1)
        return;
    p->last_draw = now;
    double frac = (double)done / (double)total;
    const int width = 24;
    char bar[32];
    int fill = (int)(frac * width + 0.5);
    for (int i = 0; i < width; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[width] = 0;
    double el = now - p->t0;
    char left[32] = "";
    if (done > 0 && done < total) {
        double rem = el / frac - el;
        if (rem >= 60)
            snprintf(left, sizeof(left), ", %dm%02ds left", (int)rem / 60, (int)rem % 60);
        else
            snprintf(left, sizeof(left), ", %.0f s left", rem);
    }
    fprintf(stderr, "\r%s [%s] %3.0f%% %s%s\033[K", p->label, bar, 100 * frac, msg ? msg : "",
            left);
    fflush(stderr);
    p->drawn = 1;
}

void progress_done(Progress *p)
{
    if (p->drawn) {
        fputc('\n', stderr);
        p->drawn = 0;
    }
}
