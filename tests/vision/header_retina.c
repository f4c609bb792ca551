/* retina.h must compile on its own: it is the first include of this translation unit. */
#include "retina/retina.h"

int header_retina_ok(void);
int header_retina_ok(void)
{
    return (int)sizeof(RetinaParams);
}
