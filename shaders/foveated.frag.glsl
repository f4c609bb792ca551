#version 330 core
// The retinal view of the world: foveated (blur growing with eccentricity, retina.glsl) or,
// with u_foveated = 0, the plain world. Writes luminance to red. Rendered into a cached
// texture at the viewport's size only when the gaze or the world changed, and into an R32F
// target by the test that checks it against retina_foveated().
#include "retina.glsl"

in vec2 v_world;
out vec4 o_color;
uniform float u_foveated;

void main()
{
    o_color = vec4(retina_view(v_world, u_foveated), 0.0, 0.0, 1.0);
}
