/* saliency.h must compile on its own: it is the first include of this translation unit. */
#include "saliency/saliency.h"

int header_saliency_ok(void);
int header_saliency_ok(void)
{
    return (int)sizeof(SaliencyParams);
}
