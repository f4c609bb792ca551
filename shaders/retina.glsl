// retina.glsl: the foveated view, the same model as retina_foveated() in src/retina/retina.c.
// All parameters come from the C side (RetinaParams); nothing is a second copy here.
//   sigma(E) = sigma0_px * (1 + E / e2_px)
//   level    = log2(max(1, sigma / pyr_sigma_px)) clamped to [0, levels - 1]
// blended linearly between floor(level) and the next (retina_level_for_sigma in retina.h).
// Coordinates here are continuous: world pixel i covers [i, i + 1), so the C side's
// pixel-centre point x is x + 0.5 here. The pyramid levels (level 0 = the world) sit side by
// side in one atlas texture; u_pyr_rect[k] = (x, y, w, h) of level k in texels. Reads clamp
// to the level's edge like image_sample_bilinear, so nothing bleeds between levels.
uniform sampler2D u_pyr;
uniform vec2 u_atlas_size;
uniform vec4 u_pyr_rect[8];
uniform int u_levels;
uniform vec2 u_gaze;        // world px, continuous (C gaze + 0.5)
uniform float u_sigma0_px;
uniform float u_e2_px;
uniform float u_pyr_sigma_px;

float retina_level_for(float ecc_px)
{
    float sigma = u_sigma0_px * (1.0 + ecc_px / u_e2_px);
    float ratio = sigma / u_pyr_sigma_px;
    return ratio > 1.0 ? min(log2(ratio), float(u_levels - 1)) : 0.0;
}

float pyr_fetch(int k, vec2 p)
{
    vec4 r = u_pyr_rect[k];
    vec2 u = clamp(p / exp2(float(k)) - 0.5, vec2(0.0), r.zw - 1.0);
    return texture(u_pyr, (r.xy + u + 0.5) / u_atlas_size).r;
}

// The foveated view at p; with foveated = 0 the plain world (level 0 everywhere).
float retina_view(vec2 p, float foveated)
{
    float level = foveated * retina_level_for(length(p - u_gaze));
    int k0 = int(floor(level));
    float f = level - float(k0);
    int k1 = min(k0 + 1, u_levels - 1);
    float a = pyr_fetch(k0, p);
    return a + f * (pyr_fetch(k1, p) - a);
}
