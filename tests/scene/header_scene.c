/* Each public header of the scene area compiles on its own: one translation unit per header. */
#include "scene/scene.h"

int header_text(void);
int header_mnist(void);

int main(void)
{
    return SCENE_MAX_OBJECTS > 0 && header_text() && header_mnist() ? 0 : 1;
}
