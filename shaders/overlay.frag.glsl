#version 330 core
// The activation layers composited per saliency cell into one premultiplied RGBA texture
// (the scene pass then reads it once per pixel, bilinearly). Colour maps: colormap.glsl.
#include "colormap.glsl"

in vec2 v_uv;
out vec4 o_color;

uniform vec4 u_on;          // layer weights: saliency, ior, orientation, motion (0 or 1)
uniform float u_alpha;      // overlay opacity at full activation
uniform sampler2D u_maps;   // per cell: r saliency, g inhibition of return, b motion energy
uniform vec3 u_range;       // display maxima: saliency, ior, motion
uniform int u_sal_map, u_ior_map, u_motion_map; // colour map ids

// Premultiplied "over": layer (c, a) on top of acc.
vec4 over(vec4 acc, vec3 c, float a)
{
    return vec4(c * a + acc.rgb * (1.0 - a), a + acc.a * (1.0 - a));
}

// Opacity of a layer at normalised value v: zero below 5% (low values leave the scene
// untouched), full from 40% up.
float layer_alpha(float v, float on)
{
    return on * u_alpha * smoothstep(0.05, 0.4, v);
}

// The bright upper part of a colour map only: the scene pass adds the overlay by "screen", so a
// dark colour would be invisible, and nothing ever darkens the scene.
vec3 bright(int map, float v)
{
    return colormap(map, 0.45 + 0.55 * v);
}

void main()
{
    vec4 m = texelFetch(u_maps, ivec2(gl_FragCoord.xy), 0);
    vec3 v = clamp(m.rgb / max(u_range, vec3(1e-6)), 0.0, 1.0);
    vec4 acc = vec4(0.0);
    // V1 orientation and motion are drawn as strokes and arrows (render.c), not as colour.
    acc = over(acc, bright(u_motion_map, v.b), layer_alpha(v.b, u_on.w));
    acc = over(acc, bright(u_ior_map, v.g), layer_alpha(v.g, u_on.y));
    acc = over(acc, bright(u_sal_map, v.r), layer_alpha(v.r, u_on.x));
    o_color = acc;
}
