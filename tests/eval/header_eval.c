#include "eval/eval.h"

int header_eval(void);
int header_eval(void)
{
    return 1;
}
