/* eye/adapt.h: the saccade motor map, untied (issue 22 §1, goggles).
 *
 * The eye turns a target it sees at retinal offset d (world px from the gaze, as the retina
 * delivers it) into a motor vector m = (gx[b] * dx, gy[b] * dy): one gain per axis for each bin
 * b of direction (SACCADE_MAP_DIRS sectors of 360/DIRS degrees, the first centred on +x) and
 * amplitude (SACCADE_MAP_AMPS bands split at saccade_map_amp_edges_deg). Every gain starts at 1:
 * the normal eye. Bins share nothing: each learns only from saccades whose visual shift falls in
 * it (an untied map, like the readers; no update is copied to another bin).
 *
 * Learning (saccade_map_learn), from the post-saccadic error: a saccade aimed at a target seen
 * at r0 executes the movement m; after landing the target is seen at r1 (the post-saccadic
 * error). A still target seen before and after gives the movement's visual shift v = r0 - r1 (=
 * F m for a retinal image mirrored by F). The bin the saccade was planned in (that of r0) learns
 * the inverse, goal-directed: each axis a moves its
 * gain towards m_a / v_a by least mean squares normalised per axis,
 *     g_a += rate * (m_a - g_a * v_a) * v_a / (v_a^2 + eps^2),   eps = SACCADE_MAP_AXIS_EPS_DEG
 * so rate 1 jumps (nearly) to the last saccade's ratio and smaller rates average over saccades;
 * an axis whose shift is small against eps (a near-horizontal saccade's vertical part) learns
 * little from it (its ratio is mostly noise). (Learning in the bin of v instead, direct inverse
 * modelling, leaves half the bins unlearned under a mirror: once a bin is right, its saccades
 * never again shift the image into its mirror bin, which then never learns.) What it
 * can learn: a gain change per axis and bin, including a sign flip (the mirror goggles: ud flips
 * gy, lr flips gx, rot180 both), each bin by itself. What it cannot: a rotation other than by 180
 * degrees or any mixing of the axes (no off-diagonal terms), a map that depends on where in the
 * field the saccade starts, or a bin it never saw (a sign flip learned for saccades to the upper
 * right does nothing for those to the lower left). Gains are clamped to +-SACCADE_MAP_GAIN_MAX.
 *
 * Plain data: copying snapshots it; it hashes as bytes (no padding).
 */
#ifndef SACCADE_EYE_ADAPT_H
#define SACCADE_EYE_ADAPT_H

#include <stdint.h>

#define SACCADE_MAP_DIRS 8
#define SACCADE_MAP_AMPS 3
#define SACCADE_MAP_BINS (SACCADE_MAP_DIRS * SACCADE_MAP_AMPS)
#define SACCADE_MAP_GAIN_MAX 2.0f
#define SACCADE_MAP_AXIS_EPS_DEG 0.25f
/* Amplitude band edges, deg: [0, 2), [2, 6), [6, inf). */
extern const float saccade_map_amp_edges_deg[SACCADE_MAP_AMPS - 1];

typedef struct SaccadeMap {
    float gx[SACCADE_MAP_BINS], gy[SACCADE_MAP_BINS]; /* per-axis gains */
    int32_t n[SACCADE_MAP_BINS];                      /* saccades each bin learned from */
} SaccadeMap;

/* All gains 1, no saccades seen: the normal eye. */
void saccade_map_init(SaccadeMap *m);
/* Bin of a vector (px) at px_per_deg: dir * SACCADE_MAP_AMPS + amp. */
int saccade_map_bin(float dx_px, float dy_px, float px_per_deg);
/* Motor vector (px) for a target seen at (dx, dy) px from the gaze. */
void saccade_map_motor(const SaccadeMap *m, float px_per_deg, float dx, float dy, float *mx,
                       float *my);
/* One learning step (see above) for the bin of the target as seen (tx, ty): the visual shift
 * (vx, vy) of the executed movement (mx, my), all px; rate in (0, 1]. Shifts under 0.1 deg teach
 * nothing. */
void saccade_map_learn(SaccadeMap *m, float px_per_deg, float rate, float tx, float ty, float vx,
                       float vy, float mx, float my);
/* 1 when every gain is finite and within +-SACCADE_MAP_GAIN_MAX and every count >= 0 (a map
 * from a file). */
int saccade_map_valid(const SaccadeMap *m);

#endif
