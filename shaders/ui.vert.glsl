#version 330 core
// 2D primitives in drawable pixels (origin top left), batched by src/ui/draw.c.
layout(location = 0) in vec2 a_pos;
layout(location = 1) in vec2 a_uv;    // glyph atlas coordinates; x < 0 for untextured shapes
layout(location = 2) in vec4 a_color;
layout(location = 3) in vec2 a_ring;  // ring coordinates (-1..1 over the quad), 0 for others
layout(location = 4) in vec2 a_param; // x: glyph atlas slot (0/1), y: ring inner radius (0..1)
uniform vec2 u_screen;
out vec2 v_uv;
out vec4 v_color;
out vec2 v_ring;
flat out vec2 v_param;

void main()
{
    v_uv = a_uv;
    v_color = a_color;
    v_ring = a_ring;
    v_param = a_param;
    gl_Position = vec4(a_pos.x / u_screen.x * 2.0 - 1.0, 1.0 - a_pos.y / u_screen.y * 2.0, 0.0, 1.0);
}
