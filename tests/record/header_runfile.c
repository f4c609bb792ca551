/* runfile.h compiles on its own, with only the stages below the simulation in reach. */
#include "runfile/runfile.h"

int main(void)
{
    return RUN_FORMAT_VERSION > 0 && sizeof(RunInput) == 12 ? 0 : 1;
}
