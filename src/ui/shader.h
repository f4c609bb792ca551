/* shader.h: GLSL program loading with a tiny `#include "file"` preprocessor.
 *
 * Shaders live in the data folder's shaders/ (paths_data_file), or in $SACCADE_SHADER_DIR when
 * set (tests point it at a folder with a broken shader). A program `name` is built from
 * name.vert.glsl and name.frag.glsl; each may `#include "other.glsl"` (resolved in the same
 * folder, nested up to 8 deep, each line kept in a map so the driver's line numbers are
 * reported against the file that holds them). Errors read
 *     shaders/name.frag.glsl:LINE: message
 * (the folder as given by $SACCADE_SHADER_DIR when set). Needs a current GL context.
 */
#ifndef SACCADE_UI_SHADER_H
#define SACCADE_UI_SHADER_H

#include <stddef.h>

/* Builds the program; returns its GL name, or 0 with sc_last_error() set to the first compile
 * or link error (file:line: message, one line). */
unsigned shader_program_load(const char *name);

/* Folder shaders are read from (for messages): "$SACCADE_SHADER_DIR" or "<data>/shaders". */
const char *shader_dir(void);

/* Preprocesses one file: expands includes into *out (malloc'd, NUL-terminated; caller frees).
 * Fills a line map so that output line i (1-based) came from file map_file[i-1] (index into
 * the files list written to *files, names relative to the shader folder) line map_line[i-1].
 * Returns 0 or -1 with sc_last_error() set (missing file, include cycle/depth). Exposed for
 * tests. */
typedef struct ShaderSource {
    char *text;
    int n_lines;
    int *line_file; /* per output line: index into files[] */
    int *line_no;   /* per output line: line number in that file (1-based) */
    char files[16][128];
    int n_files;
} ShaderSource;
int shader_source_load(ShaderSource *src, const char *file);
void shader_source_free(ShaderSource *src);
/* Rewrites a driver info log line ("0:12(5): error: x" Mesa, "ERROR: 0:12: x", "0(12) : x")
 * into "<dir>/<file>:<line>: message" using the map. Writes into buf. */
void shader_map_log(const ShaderSource *src, const char *log, char *buf, size_t n);

#endif
