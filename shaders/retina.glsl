// retina.glsl: the foveated view, the same model as retina_foveated() in src/retina/retina.c.
// All parameters come from the C side (RetinaParams); nothing is a second copy here.
// sigma(E) = sigma0_px * (1 + E / e2_px); the pyramid level for a sigma is
// level = log2(max(1, sigma / pyr_sigma_px)) clamped to [0, levels - 1], blended linearly
// between floor(level) and the next (retina_level_for_sigma in retina.h).
// Coordinates here are continuous: world pixel i covers [i, i + 1) (the C side's pixel-centre
// point i is i + 0.5 here); level k texel i covers world [i * 2^k, (i + 1) * 2^k).
uniform sampler2D u_pyr[8];
uniform vec2 u_pyr_size[8]; // texels of each level
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
    // p: world point (pixel centres at x + 0.5). Level texel centres at (i + 0.5) * 2^k.
    float s = exp2(float(k));
    vec2 tc = (p / s) / u_pyr_size[k];
    if (k == 0) return texture(u_pyr[0], tc).r;
    if (k == 1) return texture(u_pyr[1], tc).r;
    if (k == 2) return texture(u_pyr[2], tc).r;
    if (k == 3) return texture(u_pyr[3], tc).r;
    if (k == 4) return texture(u_pyr[4], tc).r;
    if (k == 5) return texture(u_pyr[5], tc).r;
    if (k == 6) return texture(u_pyr[6], tc).r;
    return texture(u_pyr[7], tc).r;
}

float retina_foveated(vec2 p)
{
    float level = retina_level_for(length(p - u_gaze));
    int k0 = int(floor(level));
    float f = level - float(k0);
    float a = pyr_fetch(k0, p);
    return (f > 0.0 && k0 + 1 < u_levels) ? a + f * (pyr_fetch(k0 + 1, p) - a) : a;
}
