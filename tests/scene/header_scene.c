/* Each public header of the scene area compiles on its own: one translation unit per header. */
#include "scene/scene.h"

int header_text(void);

int main(void)
{
    return SCENE_MAX_OBJECTS > 0 && header_text() ? 0 : 1;
}
