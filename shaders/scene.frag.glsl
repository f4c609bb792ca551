#version 330 core
// The scene: the cached retinal view (foveated.frag.glsl, one texel per screen pixel) with the
// composited activation overlay (overlay.frag.glsl, premultiplied, one texel per saliency
// cell) on top. Two cheap texture reads per pixel (the view by texelFetch: it has exactly the
// viewport's pixels, so no filtering is needed).

in vec2 v_world;
out vec4 o_color;

uniform vec2 u_world_size;
uniform sampler2D u_view;    // the viewport's retinal view, same size as the viewport
uniform ivec3 u_view_org;    // viewport left column, top row (GL window rows), view width
uniform sampler2D u_overlay;
uniform vec2 u_map_px;       // world px covered by the overlay (cells * cell_px)

void main()
{
    ivec2 f = ivec2(gl_FragCoord.xy);
    float lum = texelFetch(u_view, ivec2(f.x - u_view_org.x, u_view_org.y - f.y), 0).r;
    vec4 ov = texture(u_overlay, v_world / u_map_px);
    // "Screen": lum + c (1 - lum) never darkens the scene; zero overlay leaves it as it is.
    o_color = vec4(vec3(lum) + ov.rgb * (1.0 - vec3(lum)), 1.0);
}
