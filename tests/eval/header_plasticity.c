#include "eval/plasticity.h"

int header_plasticity(void);
int header_plasticity(void)
{
    return 1;
}
