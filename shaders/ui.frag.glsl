#version 330 core
// Solid shapes, anti-aliased rings and text in one cheap, branch-free shader (llvmpipe runs
// every branch, so there is no per-mode code): coverage = glyph atlas (or 1 for shapes) x
// ring band (or 1 when the ring coordinates are 0).

in vec2 v_uv;
in vec4 v_color;
in vec2 v_ring;
flat in vec2 v_param;
out vec4 o_color;
uniform sampler2D u_tex0, u_tex1;

void main()
{
    float glyph = mix(texture(u_tex0, v_uv).r, texture(u_tex1, v_uv).r, v_param.x);
    float cover = v_uv.x < 0.0 ? 1.0 : glyph;
    float r = length(v_ring);
    float aa = max(fwidth(r), 1e-4);
    float outer = 1.0 - smoothstep(1.0 - aa, 1.0, r);
    float inner = v_param.y > 0.0 ? smoothstep(v_param.y - aa, v_param.y, r) : 1.0;
    float a = v_color.a * cover * outer * inner;
    if (a <= 0.0)
        discard;
    o_color = vec4(v_color.rgb, a);
}
