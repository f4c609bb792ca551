#include "eval/canvas.h"

int header_canvas(void);
int header_canvas(void)
{
    return 1;
}
