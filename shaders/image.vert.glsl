#version 330 core
// A textured quad in drawable pixels (panels: foveal patch, cortical view).
layout(location = 0) in vec2 a_pos;
uniform vec4 u_rect;   // x, y, w, h in drawable px, origin top left
uniform vec2 u_screen;
out vec2 v_uv;

void main()
{
    v_uv = a_pos;
    vec2 p = u_rect.xy + a_pos * u_rect.zw;
    gl_Position = vec4(p.x / u_screen.x * 2.0 - 1.0, 1.0 - p.y / u_screen.y * 2.0, 0.0, 1.0);
}
