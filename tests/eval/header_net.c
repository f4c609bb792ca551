#include "nn/net.h"

int header_net(void);
int header_net(void)
{
    return 1;
}
