/* cli_util.h: option parsing shared by the subcommands (getopt_long does the rest). Each
 * parser prints a one-line usage error ("saccade CMD: --opt: problem") and returns -1. */
#ifndef SACCADE_CLI_UTIL_H
#define SACCADE_CLI_UTIL_H

#include <stdint.h>

#include "scene/scene.h"

int cli_parse_u64(const char *cmd, const char *opt, const char *s, uint64_t *out);
int cli_parse_int(const char *cmd, const char *opt, const char *s, int lo, int hi, int *out);
int cli_parse_double(const char *cmd, const char *opt, const char *s, double lo, double hi,
                     double *out);
/* A comma-separated list of at most max integers lo..hi ("0,2,4") into out: their count (0 for
 * an empty string), or -1 when malformed, out of range or too long. Prints nothing: the caller
 * says what the list should be. */
int cli_parse_int_list(const char *s, int lo, int hi, int *out, int max);
/* "WxH", each side 16..IMAGE_MAX_SIDE; opt names the option in the error ("--size"). */
int cli_parse_size(const char *cmd, const char *opt, const char *s, int *w, int *h);
/* The usage error for an option getopt_long did not accept (unknown, or missing its value):
 * prints "saccade CMD: unknown or incomplete option 'X' (try 'saccade CMD --help')" and
 * returns 2, the exit code. */
int cli_bad_option(const char *cmd, char **argv, int optind_);
/* Rejects stray positional arguments after getopt; returns -1 with the usage error. */
int cli_no_positionals(const char *cmd, int argc, char **argv, int optind_);
/* For commands that take exactly one run file after the options: returns argv[optind_], or
 * NULL after printing the usage error ("needs a run file" / "takes one run file"). */
const char *cli_one_file(const char *cmd, int argc, char **argv, int optind_);
/* Monotonic wall clock in ms, for timing only (bench, window, progress bars). */
double cli_now_ms(void);
/* CPU time of the calling thread in ms: what a stage costs on one core, without the time the
 * thread spent preempted by other processes (bench). */
double cli_thread_cpu_ms(void);
/* CPU time of the whole process (all threads) in ms: with a video scene, what its decode-ahead
 * thread costs beside the simulating thread (bench). */
double cli_process_cpu_ms(void);
/* --goggles: "off", "lr", "ud" or "rot180" to RetinaParams.flip bits (issue 22 §1); -1 with the
 * usage error for anything else. cli_goggles_name is the inverse ("off" for 0). */
int cli_parse_goggles(const char *cmd, const char *s, int *flip);
/* The same for an experiment under goggles, where off measures nothing and is a usage error. */
int cli_parse_goggles_on(const char *cmd, const char *s, int *flip);
const char *cli_goggles_name(int flip);
/* --plasticity: "off", "untied" or "tied" to a PlasticityMode (issue 22 §2); -1 with the usage
 * error for anything else. */
int cli_parse_plasticity(const char *cmd, const char *s, int *mode);
/* --split: "test" (0) or "val" (1: the validation split, for tuning) into *split_val; -1 with
 * the usage error for anything else. */
int cli_parse_split(const char *cmd, const char *s, int *split_val);
/* A switch's value: "on" (1) or "off" (0) into *on; -1 with the usage error ("saccade CMD:
 * OPT: on or off, not 'S'") for anything else. */
int cli_parse_on_off(const char *cmd, const char *opt, const char *s, int *on);

#endif
