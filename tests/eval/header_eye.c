#include "eval/eye.h"

int header_eye(void);
int header_eye(void)
{
    return 1;
}
