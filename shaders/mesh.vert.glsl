#version 330 core
// Per-vertex coloured triangles in drawable pixels (origin top left): the activation overlay
// drawn as a mesh between saliency cell centres, so colours interpolate bilinearly and only
// the cells that have something are drawn (render.c, draw_overlay_mesh).
layout(location = 0) in vec2 a_pos;
layout(location = 1) in vec4 a_color;
uniform vec2 u_screen;
out vec4 v_color;

void main()
{
    v_color = a_color;
    gl_Position = vec4(a_pos.x / u_screen.x * 2.0 - 1.0, 1.0 - a_pos.y / u_screen.y * 2.0, 0.0, 1.0);
}
