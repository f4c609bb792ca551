/* v1.h must compile on its own: it is the first include of this translation unit. */
#include "v1/v1.h"

int header_v1_ok(void);
int header_v1_ok(void)
{
    return (int)sizeof(V1Params);
}
