/* letter_widths: writes src/sim/letter_widths.c, the widths a letter's segment has (in the eye's
 * x-heights) on the training faces, from which the reading eye judges whether a read fits its
 * segment (sim_text.c). The table is computed, never typed: dataset_text_letter_widths renders
 * random lines of the natural-text readers' training faces at 16..36 px (natural spacing, the
 * text0 reader's way), segments them as the eye does (retina_text_letters) and keeps the widths
 * of the segments that hold one letter alone; per letter its 1st and 99th percentiles. No
 * validation or test face is rendered.
 *
 *   letter_widths OUT.c
 *
 * e.g. `build/tools/letter_widths src/sim/letter_widths.c` after `ninja -C build`.
 *
 * The slow suite runs it and compares its output with the shipped file, byte for byte.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "core/log.h"
#include "data/dataset.h"
#include "data/textline.h"

#define COPIES 24 /* lines per glyph per face */

int main(int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: letter_widths OUT.c\n");
        return 2;
    }
    float lo[TEXTLINE_CHARS], hi[TEXTLINE_CHARS];
    if (dataset_text_letter_widths(COPIES, lo, hi) < 0) {
        fprintf(stderr, "letter_widths: %s\n", sc_last_error());
        return 1;
    }
    struct stat st;
    if (stat(argv[1], &st) == 0 && !S_ISREG(st.st_mode)) {
        fprintf(stderr, "letter_widths: %s: not a regular file\n", argv[1]);
        return 1;
    }
    FILE *f = fopen(argv[1], "w");
    if (!f) {
        fprintf(stderr, "letter_widths: %s: cannot write\n", argv[1]);
        return 1;
    }
    fprintf(f,
            "/* letter_widths.c: written by tools/letter_widths.c (do not edit; the slow suite\n"
            " * checks it is what the tool writes). The widths, in x-heights as the eye judges\n"
            " * them, of the segments that hold one letter alone on random lines of the %d\n"
            " * training faces at 16..36 px, %d lines per letter and face: each letter's 1st\n"
            " * and 99th percentiles. */\n"
            "#include \"sim/letter_widths.h\"\n\n"
            "/* clang-format off */\n"
            "const SimLetterWidth sim_letter_widths[SIM_LETTER_WIDTHS] = {\n",
            dataset_text_train_faces(), COPIES);
    for (int c = 0; c < TEXTLINE_CHARS; c++)
        fprintf(f, "    {'%c', %.3ff, %.3ff},\n", textline_char(c), (double)lo[c], (double)hi[c]);
    fprintf(f, "};\n/* clang-format on */\n");
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        fprintf(stderr, "letter_widths: %s: write failed\n", argv[1]);
        remove(argv[1]);
        return 1;
    }
    return 0;
}
