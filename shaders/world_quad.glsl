// world_quad.glsl: vertex shader body for a quad covering the world: a_pos in 0..1; u_ndc is
// the target rectangle (x0, y0, x1, y1 in NDC), u_world_org and u_world_size the world rectangle
// it shows (px: the whole world, or the zoomed part). v_world is the world point (continuous
// px, y down).
layout(location = 0) in vec2 a_pos;
uniform vec4 u_ndc;
uniform vec2 u_world_org;
uniform vec2 u_world_size;
out vec2 v_world;

void main()
{
    v_world = u_world_org + a_pos * u_world_size;
    gl_Position = vec4(mix(u_ndc.xy, u_ndc.zw, a_pos), 0.0, 1.0);
}
