#version 330 core
// 2D primitives in drawable pixels (origin top left), batched by src/ui/draw.c.
layout(location = 0) in vec2 a_pos;
layout(location = 1) in vec2 a_uv;
layout(location = 2) in vec4 a_color;
layout(location = 3) in vec2 a_mode; // x: mode, y: parameter
uniform vec2 u_screen;
out vec2 v_uv;
out vec4 v_color;
flat out vec2 v_mode;

void main()
{
    v_uv = a_uv;
    v_color = a_color;
    v_mode = a_mode;
    gl_Position = vec4(a_pos.x / u_screen.x * 2.0 - 1.0, 1.0 - a_pos.y / u_screen.y * 2.0, 0.0, 1.0);
}
