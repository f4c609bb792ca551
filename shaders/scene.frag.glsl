#version 330 core
// The scene: the cached retinal view (foveated.frag.glsl, one texel per screen pixel), one
// texelFetch per pixel (the view has exactly the viewport's pixels, so no filtering).

in vec2 v_world;
out vec4 o_color;

uniform vec2 u_world_size;
uniform sampler2D u_view;    // the viewport's retinal view, same size as the viewport
uniform ivec3 u_view_org;    // viewport left column, top row (GL window rows), view width

void main()
{
    ivec2 f = ivec2(gl_FragCoord.xy);
    float lum = texelFetch(u_view, ivec2(f.x - u_view_org.x, u_view_org.y - f.y), 0).r;
    // The activation overlay is added afterwards as a mesh over the cells that have something
    // (render.c: per-pixel overlay sampling here cost more than the rest of the frame on
    // llvmpipe).
    o_color = vec4(vec3(lum), 1.0);
}
