#version 330 core
// The scene: world or foveated view, with the activation layers blended on top.
#include "colormap.glsl"
#include "retina.glsl"

in vec2 v_world;
out vec4 o_color;

uniform sampler2D u_world;
uniform vec2 u_world_size;
uniform int u_foveated;
uniform int u_raw;          // 1: write the luminance only (tests compare it with the CPU)
uniform int u_layers;       // bit 0 saliency, 1 ior, 2 orientation, 3 motion
uniform float u_alpha;      // overlay opacity at full activation
uniform sampler2D u_sal;
uniform sampler2D u_ior;
uniform sampler2D u_motion;
uniform sampler2DArray u_orient;
uniform vec2 u_map_px;      // world px covered by the map grids (cells * cell_px)
uniform float u_motion_max;
uniform float u_sal_max;       // display range of saliency (its recent maximum)
uniform float u_orient_max;
uniform int u_n_orient;
uniform float u_orient_rad[16];
uniform int u_sal_map, u_ior_map, u_motion_map; // colour map ids

vec3 blend_layer(vec3 base, vec3 c, float v)
{
    float a = u_alpha * clamp(0.15 + 0.85 * v, 0.0, 1.0) * step(0.02, v);
    return mix(base, c, a);
}

void main()
{
    vec2 p = v_world;
    float lum = u_foveated != 0 ? retina_foveated(p) : texture(u_world, p / u_world_size).r;
    if (u_raw != 0) {
        o_color = vec4(lum, 0.0, 0.0, 1.0);
        return;
    }
    vec3 c = vec3(lum);
    vec2 mt = p / u_map_px;
    if ((u_layers & 4) != 0) {
        vec2 acc = vec2(0.0);
        float total = 0.0;
        for (int o = 0; o < u_n_orient; o++) {
            float e = texture(u_orient, vec3(mt, float(o))).r;
            acc += e * vec2(cos(2.0 * u_orient_rad[o]), sin(2.0 * u_orient_rad[o]));
            total += e;
        }
        float ang = atan(acc.y, acc.x) * 0.5; // -pi/2..pi/2
        float hue = fract(ang / 3.14159265 + 1.0);
        float v = clamp(total / max(u_orient_max, 1e-12), 0.0, 1.0);
        c = blend_layer(c, orientation_hue(hue) * sqrt(v), sqrt(v));
    }
    if ((u_layers & 8) != 0) {
        float v = clamp(texture(u_motion, mt).r / max(u_motion_max, 1e-12), 0.0, 1.0);
        c = blend_layer(c, colormap(u_motion_map, v), v);
    }
    if ((u_layers & 2) != 0) {
        float v = clamp(texture(u_ior, mt).r, 0.0, 1.0);
        c = blend_layer(c, colormap(u_ior_map, v), v);
    }
    if ((u_layers & 1) != 0) {
        float v = clamp(texture(u_sal, mt).r / max(u_sal_max, 1e-6), 0.0, 1.0);
        c = blend_layer(c, colormap(u_sal_map, v), v);
    }
    o_color = vec4(c, 1.0);
}
