/* record.h compiles on its own. */
#include "record/record.h"

int main(void)
{
    return RUN_FORMAT_VERSION > 0 ? 0 : 1;
}
