/* Glyph dataset: waits for src/scene/text.c (branch scene). */
#include "classifier/trainer.h"
#include "core/log.h"

int dataset_load_glyphs(Dataset *ds);

int dataset_load_glyphs(Dataset *ds)
{
    (void)ds;
    sc_set_error("glyphs: font rendering not available in this build yet");
    return -1;
}
