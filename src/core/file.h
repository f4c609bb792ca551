/* file.h: the one way to read a whole file into memory.
 *
 * Refuses what is not a regular file (a folder, a device, a FIFO: opened with O_NONBLOCK, so a
 * FIFO never blocks, then checked with fstat) and files larger than
 * max bytes, checked before and while reading (a file may grow under us). Errors name the file.
 */
#ifndef SACCADE_CORE_FILE_H
#define SACCADE_CORE_FILE_H

#include <stddef.h>

/* Reads path into a malloc'd buffer (*data, *n bytes; never NULL on success, even when empty;
 * the caller frees it). Returns 0, or -1 with sc_last_error() set. */
int file_read_all(const char *path, size_t max, unsigned char **data, size_t *n);

#endif
