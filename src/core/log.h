/* log.h: the one error and logging path.
 *
 * Functions that can fail return -1 (or NULL) and set a one-line message with sc_set_error();
 * the caller that decides to give up prints it once, prefixed with "saccade: ". The message is
 * thread-local, like errno. Messages name the file and the problem, without a trailing newline.
 * sc_set_error() may take sc_last_error() as an argument (to prefix it): it formats into a
 * scratch buffer first.
 */
#ifndef SACCADE_CORE_LOG_H
#define SACCADE_CORE_LOG_H

#if defined(__GNUC__)
#define SC_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define SC_PRINTF(a, b)
#endif

void sc_set_error(const char *fmt, ...) SC_PRINTF(1, 2);
const char *sc_last_error(void);
/* Prints "saccade: <message>\n" to stderr. */
void sc_log_error(const char *fmt, ...) SC_PRINTF(1, 2);
/* Prints "saccade: warning: <message>\n" to stderr. */
void sc_log_warn(const char *fmt, ...) SC_PRINTF(1, 2);

#endif
