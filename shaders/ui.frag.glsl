#version 330 core
// Modes: 0 solid, 1 ring (uv in -1..1, parameter = inner radius / outer radius), 2 text
// (uv into the glyph atlas), 3 colour-map gradient (uv.x = value, parameter = map id),
// 4 orientation hue gradient (uv.x = orientation / pi).
#include "colormap.glsl"

in vec2 v_uv;
in vec4 v_color;
flat in vec2 v_mode;
out vec4 o_color;
uniform sampler2D u_tex;

void main()
{
    int mode = int(v_mode.x + 0.5);
    vec4 c = v_color;
    if (mode == 1) {
        float r = length(v_uv);
        float aa = max(fwidth(r), 1e-4);
        float outer = 1.0 - smoothstep(1.0 - aa, 1.0, r);
        float inner = v_mode.y > 0.0 ? smoothstep(v_mode.y - aa, v_mode.y, r) : 1.0;
        c.a *= outer * inner;
    } else if (mode == 2) {
        c.a *= texture(u_tex, v_uv).r;
    } else if (mode == 3) {
        c.rgb = colormap(int(v_mode.y + 0.5), v_uv.x);
    } else if (mode == 4) {
        c.rgb = orientation_hue(v_uv.x);
    }
    if (c.a <= 0.0)
        discard;
    o_color = c;
}
