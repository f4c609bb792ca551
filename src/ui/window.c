#include "ui/window.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "ui/gl.h"

#define NO_DISPLAY_HINT "use 'saccade run' for a headless simulation, or SDL_VIDEODRIVER=offscreen"

int window_open(UiWindow *w, const char *title, int width, int height, int hidden, int vsync,
                int *no_display)
{
    memset(w, 0, sizeof(*w));
    if (no_display)
        *no_display = 0;
    const char *drv = getenv("SDL_VIDEODRIVER");
    const char *disp = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
    /* With no driver forced and no display at all, SDL would probe Wayland and print its own
     * noise before failing: say it in one line instead. */
    if ((!drv || !drv[0]) && (!disp || !disp[0]) && (!wl || !wl[0])) {
        sc_set_error("no display (DISPLAY is not set); %s", NO_DISPLAY_HINT);
        if (no_display)
            *no_display = 1;
        return -1;
    }
    if (SDL_InitSubSystem(SDL_INIT_VIDEO)) {
        sc_set_error("no usable display (%s); %s", SDL_GetError(), NO_DISPLAY_HINT);
        if (no_display)
            *no_display = 1;
        return -1;
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
    SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);
    Uint32 flags = SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI;
    flags |= hidden ? SDL_WINDOW_HIDDEN : SDL_WINDOW_SHOWN;
    w->win = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, width, height,
                              flags);
    if (!w->win) {
        sc_set_error("cannot open a window (%s); %s", SDL_GetError(), NO_DISPLAY_HINT);
        if (no_display)
            *no_display = 1;
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
        return -1;
    }
    w->gl = SDL_GL_CreateContext(w->win);
    if (!w->gl) {
        sc_set_error("no OpenGL 3.3 core context (%s); %s", SDL_GetError(), NO_DISPLAY_HINT);
        if (no_display)
            *no_display = 1;
        SDL_DestroyWindow(w->win);
        w->win = NULL;
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
        return -1;
    }
    if (vsync)
        w->vsync = SDL_GL_SetSwapInterval(1) == 0;
    else
        SDL_GL_SetSwapInterval(0);
    return 0;
}

void window_close(UiWindow *w)
{
    if (w->gl)
        SDL_GL_DeleteContext(w->gl);
    if (w->win)
        SDL_DestroyWindow(w->win);
    if (w->win || w->gl)
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
    memset(w, 0, sizeof(*w));
}
