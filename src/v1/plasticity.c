/* Reward-gated Hebbian gains on the reader's V1 input (see plasticity.h). */
#include "v1/plasticity.h"

#include <math.h>
#include <string.h>

#include "core/hash.h"
#include "core/log.h"

int plasticity_init(Plasticity *p, int mode, float eta)
{
    if (mode < PLASTICITY_OFF || mode > PLASTICITY_TIED) {
        sc_set_error("plasticity: unknown mode %d", mode);
        return -1;
    }
    if (mode != PLASTICITY_OFF && !(eta > 0.0f && eta <= 1.0f)) {
        sc_set_error("plasticity: eta %g is not in (0, 1]", (double)eta);
        return -1;
    }
    memset(p, 0, sizeof(*p));
    p->mode = mode;
    p->eta = mode == PLASTICITY_OFF ? 0.0f : eta;
    for (int i = 0; i < PLASTICITY_N; i++)
        p->gain[i] = 1.0f;
    return 0;
}

float plasticity_default_eta(int mode)
{
    return mode == PLASTICITY_UNTIED ? PLASTICITY_ETA_UNTIED
           : mode == PLASTICITY_TIED ? PLASTICITY_ETA_TIED
                                     : 0.0f;
}

static const char *const mode_names[] = {"off", "untied", "tied"};

const char *plasticity_mode_name(int mode)
{
    return mode >= 0 && mode <= PLASTICITY_TIED ? mode_names[mode] : "?";
}

int plasticity_mode_parse(const char *s)
{
    for (int m = 0; m <= PLASTICITY_TIED; m++)
        if (s && !strcmp(s, mode_names[m]))
            return m;
    return -1;
}

void plasticity_apply(const Plasticity *p, float *e)
{
    if (p->mode == PLASTICITY_OFF)
        return;
    for (int i = 0; i < PLASTICITY_N; i++)
        e[i] *= p->gain[i];
}

static float clamp_gain(float g)
{
    return g < PLASTICITY_GAIN_MIN   ? PLASTICITY_GAIN_MIN
           : g > PLASTICITY_GAIN_MAX ? PLASTICITY_GAIN_MAX
                                     : g;
}

int plasticity_reward(Plasticity *p, const float *gained, int right, float confidence)
{
    if (p->mode == PLASTICITY_OFF || !right || !(confidence >= PLASTICITY_CONFIDENCE))
        return 0;
    float top = 0.0f;
    for (int i = 0; i < PLASTICITY_N; i++)
        if (gained[i] > top)
            top = gained[i];
    if (!(top > 0.0f))
        return 0; /* no filter fired: nothing to strengthen */
    const float k = p->eta / top;
    enum { P = PLASTICITY_POSITIONS, O = V1_PATCH_ORIENT };
    for (int j = 0; j < P; j++) {
        float d[O];
        int any = 0;
        for (int o = 0; o < O; o++) {
            if (p->mode == PLASTICITY_UNTIED) {
                /* this position's own activity only */
                d[o] = k * gained[o * P + j];
            } else {
                /* one change per orientation: the mean over positions, applied everywhere */
                double s = 0;
                for (int q = 0; q < P; q++)
                    s += gained[o * P + q];
                d[o] = (float)(k * (s / P));
            }
            any |= d[o] > 0.0f;
        }
        if (!any)
            continue; /* a silent position is not touched: its gains stay what they were */
        float g[O], sum = 0.0f;
        for (int o = 0; o < O; o++) {
            g[o] = p->gain[o * P + j] + d[o];
            sum += g[o];
        }
        /* synaptic scaling: the position's mean gain stays 1 (orientations compete) */
        const float scale = (float)O / sum;
        for (int o = 0; o < O; o++)
            p->gain[o * P + j] = clamp_gain(g[o] * scale);
    }
    p->updates++;
    return 1;
}

static void put_u32(unsigned char *b, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get_u32(const unsigned char *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static uint32_t f32_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

static float bits_f32(uint32_t u)
{
    float f;
    memcpy(&f, &u, 4);
    return f;
}

void plasticity_state_save(const Plasticity *p, unsigned char *b)
{
    put_u32(b, (uint32_t)p->mode);
    put_u32(b + 4, f32_bits(p->eta));
    put_u32(b + 8, (uint32_t)((uint64_t)p->updates & 0xffffffffu));
    put_u32(b + 12, (uint32_t)((uint64_t)p->updates >> 32));
    for (int i = 0; i < PLASTICITY_N; i++)
        put_u32(b + 16 + 4 * i, f32_bits(p->gain[i]));
}

int plasticity_state_load(Plasticity *p, const unsigned char *b)
{
    Plasticity q;
    memset(&q, 0, sizeof(q));
    q.mode = (int)get_u32(b);
    q.eta = bits_f32(get_u32(b + 4));
    q.updates = (long)((uint64_t)get_u32(b + 8) | (uint64_t)get_u32(b + 12) << 32);
    if (q.mode < PLASTICITY_OFF || q.mode > PLASTICITY_TIED || q.updates < 0 ||
        (q.mode != PLASTICITY_OFF && !(q.eta > 0.0f && q.eta <= 1.0f))) {
        sc_set_error("plasticity state: bad mode, eta or count");
        return -1;
    }
    for (int i = 0; i < PLASTICITY_N; i++) {
        q.gain[i] = bits_f32(get_u32(b + 16 + 4 * i));
        if (!(q.gain[i] >= PLASTICITY_GAIN_MIN && q.gain[i] <= PLASTICITY_GAIN_MAX)) {
            sc_set_error("plasticity state: gain %d out of range", i);
            return -1;
        }
    }
    *p = q;
    return 0;
}

uint64_t plasticity_hash(const Plasticity *p, uint64_t h)
{
    unsigned char b[PLASTICITY_STATE_BYTES];
    plasticity_state_save(p, b);
    return hash64_update(h, b, sizeof(b));
}

int plasticity_positions_changed(const Plasticity *p)
{
    enum { P = PLASTICITY_POSITIONS };
    int n = 0;
    for (int j = 0; j < P; j++) {
        int ch = 0;
        for (int o = 0; o < V1_PATCH_ORIENT; o++)
            ch |= p->gain[o * P + j] != 1.0f;
        n += ch;
    }
    return n;
}
