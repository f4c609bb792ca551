#version 330 core
// A single-channel float texture through a colour map (0 grey, 1 viridis, 2 inferno, 4 the
// orientation hues), with the value range [u_lo, u_hi] mapped to 0..1. Also draws the legend
// bars (a 0..1 ramp texture).
#include "colormap.glsl"

in vec2 v_uv;
out vec4 o_color;
uniform sampler2D u_tex;
uniform int u_map;
uniform float u_lo, u_hi;

void main()
{
    float v = (texture(u_tex, v_uv).r - u_lo) / max(u_hi - u_lo, 1e-12);
    o_color = vec4(u_map == 4 ? orientation_hue(clamp(v, 0.0, 1.0)) : colormap(u_map, v), 1.0);
}
