#include "core/text.h"

int header_text(void);
int header_text(void)
{
    int (*render)(const char *, const char *, int, Image *) = text_render;
    return render != 0;
}
