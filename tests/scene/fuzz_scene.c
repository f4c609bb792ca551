/* fuzz_scene: libFuzzer harness for the scene-file parser and the image-file front end
 * (header sniffing, size limits, decoding through SDL2_image).
 * Build and run: tests/scene/fuzz.sh [SECONDS]. The first byte picks the reader (even: scene
 * text, odd: image bytes); the rest is the file. A read either fails with a one-line message
 * naming the file, or gives a scene whose objects lie inside its world; anything else aborts.
 * Worlds are kept small (spec size 96x64) so that iterations stay fast. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "scene/scene_priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    SceneSpec spec;
    memset(&spec, 0, sizeof(spec));
    int image = data[0] & 1;
    spec.kind = image ? SCENE_IMAGE : SCENE_FILE;
    strcpy(spec.path, image ? "fuzz.png" : "fuzz.scene");
    spec.width = 96;
    spec.height = 64;
    Scene *s = image ? scene_create_image_data(&spec, data + 1, size - 1)
                     : scene_create_scene_text(&spec, 1, data + 1, size - 1);
    if (!s) {
        const char *msg = sc_last_error();
        if (!msg || !strstr(msg, spec.path) || strchr(msg, '\n'))
            abort();
        return 0;
    }
    const Image *w = scene_world(s);
    if (w->w != 96 || w->h != 64)
        abort();
    const SceneObject *o = scene_objects(s);
    for (int i = 0; i < scene_object_count(s); i++)
        if (!(o[i].x - o[i].w / 2 >= 0 && o[i].y - o[i].h / 2 >= 0 && o[i].x + o[i].w / 2 <= w->w &&
              o[i].y + o[i].h / 2 <= w->h) ||
            strlen(o[i].label) >= SCENE_LABEL_MAX)
            abort();
    for (int k = 0; k < 3; k++)
        scene_step(s, 10.0);
    for (int y = 0; y < w->h; y++)
        for (int x = 0; x < w->w; x++)
            if (!(image_at(w, x, y) >= 0.0f && image_at(w, x, y) <= 1.0f))
                abort();
    scene_destroy(&s);
    return 0;
}
