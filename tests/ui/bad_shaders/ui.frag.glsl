#version 330 core
// A deliberately broken shader for the error-report test: line 8 has a syntax error.
#include "colormap.glsl"
out vec4 o_color;

void main()
{
    o_color = vec4(viridis(0.5) +* 1.0, 1.0);
}
