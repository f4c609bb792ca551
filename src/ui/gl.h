/* gl.h: the one place that includes OpenGL for the ui. OpenGL 3.3 core entry points are
 * linked directly from libGL (Mesa and libglvnd export them and dispatch to the current
 * context, GLX or EGL alike), so no loader table is needed. */
#ifndef SACCADE_UI_GL_H
#define SACCADE_UI_GL_H

#define GL_GLEXT_PROTOTYPES 1
#include <GL/glcorearb.h>

#endif
