#version 330 core
// The scene: the cached retinal view (foveated.frag.glsl, one texel per screen pixel) with the
// composited activation overlay (overlay.frag.glsl, premultiplied, one texel per saliency
// cell) on top. Two cheap texture reads per pixel.

in vec2 v_world;
out vec4 o_color;

uniform vec2 u_world_size;
uniform sampler2D u_view;    // the viewport's retinal view, same size as the viewport
uniform sampler2D u_overlay;
uniform vec2 u_map_px;       // world px covered by the overlay (cells * cell_px)

void main()
{
    float lum = texture(u_view, v_world / u_world_size).r;
    vec4 ov = texture(u_overlay, v_world / u_map_px);
    o_color = vec4(vec3(lum) * (1.0 - ov.a) + ov.rgb, 1.0);
}
