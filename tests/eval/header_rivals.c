#include "eval/rivals.h"

int header_rivals(void);
int header_rivals(void)
{
    return 1;
}
