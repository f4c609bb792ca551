/* window.h: the SDL window and its OpenGL 3.3 core context. */
#ifndef SACCADE_UI_WINDOW_H
#define SACCADE_UI_WINDOW_H

#include <SDL.h>

typedef struct UiWindow {
    SDL_Window *win;
    SDL_GLContext gl;
    int vsync; /* 1 if the swap interval could be set */
} UiWindow;

/* Opens a resizable, high-DPI aware window (w x h screen coordinates) with a GL 3.3 core
 * context. Returns 0; or -1 with sc_last_error() set and *no_display = 1 when there is no
 * usable display (the message then points to `saccade run`). */
int window_open(UiWindow *w, const char *title, int width, int height, int hidden, int vsync,
                int *no_display);
void window_close(UiWindow *w);

#endif
