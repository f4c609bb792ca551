/* fuzz_video: libFuzzer harness for the video reader (src/scene/video_reader.c: demuxing,
 * the checking decode pass, grey conversion) and the video scene on top of it (frames ahead on
 * a thread, stepping in simulated time, looping). The input is the clip's bytes. A clip either
 * fails with a one-line message naming the file, or gives a scene whose world stays in 0..1
 * while it plays past its end. Worlds are resampled to 64x48 so that iterations stay fast.
 * Run: tests/fuzz/run.sh video SECONDS. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "scene/scene_priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    SceneSpec spec;
    memset(&spec, 0, sizeof(spec));
    spec.kind = SCENE_VIDEO;
    strcpy(spec.path, "fuzz.mp4");
    spec.width = 64;
    spec.height = 48;
    unsigned char *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    if (size)
        memcpy(copy, data, size);
    Scene *s = scene_create_video_data(&spec, copy, size, NULL, 0, 0);
    if (!s) {
        const char *msg = sc_last_error();
        if (!msg || !strstr(msg, spec.path) || strchr(msg, '\n'))
            abort();
        return 0;
    }
    const Image *w = scene_world(s);
    if (w->w != 64 || w->h != 48)
        abort();
    for (int k = 0; k < 40; k++) {
        scene_step(s, 50.0);
        for (int y = 0; y < w->h; y++)
            for (int x = 0; x < w->w; x++)
                if (!(image_at(w, x, y) >= 0.0f && image_at(w, x, y) <= 1.0f))
                    abort();
    }
    scene_destroy(&s);
    return 0;
}
