/* Each public header of the scene area compiles on its own. */
#include "scene/scene.h"
#include "scene/scene.h"
#include "scene/text.h"
#include "scene/mnist.h"

int main(void) { return SCENE_MAX_OBJECTS > 0 && MNIST_SIDE == 28 ? 0 : 1; }
