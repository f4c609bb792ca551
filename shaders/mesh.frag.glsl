#version 330 core
// The overlay's premultiplied colour; blended by "screen" (src (1 - dst) + dst), so it never
// darkens what is under it.
in vec4 v_color;
out vec4 o_color;

void main()
{
    o_color = v_color;
}
