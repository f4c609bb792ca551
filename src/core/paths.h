/* paths.h: where assets and shaders are found.
 *
 * $SACCADE_DATA_DIR if set, else the source folder recorded at build time; never the working
 * folder (tests run from the build folder).
 */
#ifndef SACCADE_CORE_PATHS_H
#define SACCADE_CORE_PATHS_H

#include <stddef.h>

const char *paths_data_dir(void);
/* Writes "<data dir>/<rel>" into buf; returns buf, or NULL if it does not fit. */
char *paths_data_file(char *buf, size_t n, const char *rel);

#endif
