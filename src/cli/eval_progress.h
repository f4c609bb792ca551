/* eval_progress.h: a one-line progress bar on stderr for `saccade train` and `saccade eval`.
 * Reads the wall clock, for the display only (time left); never used by the simulation. When
 * stderr is not a terminal it stays quiet except for what the caller prints itself. */
#ifndef SACCADE_CLI_EVAL_PROGRESS_H
#define SACCADE_CLI_EVAL_PROGRESS_H

typedef struct Progress {
    const char *label;
    int quiet, tty;
    double t0, last_draw; /* seconds, monotonic */
    int drawn;
} Progress;

double progress_now_s(void);
void progress_init(Progress *p, const char *label, int quiet);
/* Redraws at most 10 times a second: "[label] [#####.....] 42% msg, 12 s left". */
void progress_update(Progress *p, long done, long total, const char *msg);
/* Ends the line. */
void progress_done(Progress *p);

#endif
