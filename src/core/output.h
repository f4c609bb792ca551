/* output.h: the one way to write an output file, so that no output is lost unreported and no
 * output destroys what it should not.
 *
 * An output is written to a temporary file created with O_EXCL in the target's folder, and
 * renamed onto the target only after every write, the flush, fsync and close succeeded, and
 * only when the target is absent or a regular file: devices, FIFOs, folders and symbolic links
 * are refused, never replaced. An output that is the same file as one of the command's inputs
 * (by device and inode, so other spellings of the path are caught) is refused. No folder is
 * created: a missing folder is an error, found by output_check() before long work starts.
 * "-" means stdout (checked at flush; main checks its close with output_close_stdout()).
 * Every failure is a one-line sc_last_error() naming the path, and the target is left as it
 * was.
 */
#ifndef SACCADE_CORE_OUTPUT_H
#define SACCADE_CORE_OUTPUT_H

#include <stdio.h>

typedef struct Output Output;

/* Checks, before the work that produces it, that path can be written: its folder exists and
 * is writable, the target is absent or a regular file, and it is none of inputs[0..n) (NULL
 * entries are skipped). Returns 0 or -1. */
int output_check(const char *path, const char *const *inputs, int n_inputs);
/* output_check, then opens the temporary file. Returns NULL with sc_last_error() set. */
Output *output_open(const char *path, const char *const *inputs, int n_inputs);
/* The stream to write to (stdout for "-"). */
FILE *output_stream(Output *o);
/* The temporary file's path (for writers that need a path, e.g. a PNG encoder); "" for "-". */
const char *output_temp_path(const Output *o);
/* Flushes, checks every write (ferror), fsyncs, closes and renames the temporary onto the
 * target (re-checking that the target is absent or a regular file). Frees *o and sets it NULL.
 * Returns 0, or -1 with the temporary removed and the target untouched. */
int output_commit(Output **o);
/* Gives up: removes the temporary, leaves the target untouched, frees *o. Safe on NULL. */
void output_abort(Output **o);
/* Writes path in one go (output_open + fwrite + output_commit). Returns 0 or -1. */
int output_write_all(const char *path, const void *data, size_t n, const char *const *inputs,
                     int n_inputs);
/* At exit: flushes and closes stdout, returns -1 with sc_last_error() when anything written to
 * it was lost (a full disk, a closed pipe), else 0. */
int output_close_stdout(void);

/* Opens path for a recording that is written progressively (a crash must leave the part
 * written): refuses what is not a regular file (O_NOFOLLOW, O_NONBLOCK, then fstat), takes an
 * exclusive lock without waiting (a second writer fails at once: "PATH: another process is
 * writing it") and only then truncates it. Same input and folder checks as output_check().
 * The lock lasts until the stream is closed. Returns the stream, or NULL with sc_last_error(). */
FILE *output_open_locked(const char *path, const char *const *inputs, int n_inputs);

#endif
