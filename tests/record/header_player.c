/* player.h compiles on its own. */
#include "record/player.h"

int main(void)
{
    return sizeof(PlayerParams) > 0 ? 0 : 1;
}
