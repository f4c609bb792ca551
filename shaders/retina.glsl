// retina.glsl: the foveated view, the same model as retina_value_at() in src/retina/retina.c.
// All parameters come from the C side (RetinaParams); nothing is a second copy here.
//   sigma(E) = sigma0_px * (1 + E / e2_px)
//   V_k      = pyr_sigma_px^2 + (k >= 1 ? 4^(k-1) : 0)     (blur variance of pyramid level k)
//   level    = k + (sigma^2 - V_k) / (V_{k+1} - V_k) for V_k <= sigma^2 < V_{k+1}
//   level    = max(level, finest k with |d|_inf <= level_half * 2^k), clamped to levels - 1
// blended linearly between floor(level) and the next (retina_level_at in retina.h): what the
// finest glimpse level holding the point senses there.
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
uniform float u_level_half;  // level_size / 2 - 1: the reach of level 0's samples, px

float level_var(int k)
{
    return u_pyr_sigma_px * u_pyr_sigma_px + (k > 0 ? exp2(float(2 * (k - 1))) : 0.0);
}

float retina_level_for(vec2 d)
{
    float sigma = u_sigma0_px * (1.0 + length(d) / u_e2_px);
    float v = sigma * sigma, level = 0.0;
    if (v > level_var(0)) {
        level = 30.0;
        for (int k = 0; k < 30; k++) {
            float a = level_var(k), b = level_var(k + 1);
            if (v < b) {
                level = float(k) + (v - a) / (b - a);
                break;
            }
        }
    }
    float m = max(abs(d.x), abs(d.y));
    int kc = 0;
    while (kc < u_levels - 1 && !(m <= u_level_half * exp2(float(kc))))
        kc++;
    return min(max(level, float(kc)), float(u_levels - 1));
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
    float level = foveated * retina_level_for(p - u_gaze);
    int k0 = int(floor(level));
    float f = level - float(k0);
    int k1 = min(k0 + 1, u_levels - 1);
    float a = pyr_fetch(k0, p);
    return a + f * (pyr_fetch(k1, p) - a);
}
