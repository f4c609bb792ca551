#include "core/fft.h"

#include <pthread.h>

static pthread_mutex_t planner = PTHREAD_MUTEX_INITIALIZER;

fftwf_plan fft_plan_dft_r2c_2d(int n0, int n1, float *in, fftwf_complex *out, unsigned flags)
{
    pthread_mutex_lock(&planner);
    fftwf_plan p = fftwf_plan_dft_r2c_2d(n0, n1, in, out, flags);
    pthread_mutex_unlock(&planner);
    return p;
}

fftwf_plan fft_plan_dft_c2r_2d(int n0, int n1, fftwf_complex *in, float *out, unsigned flags)
{
    pthread_mutex_lock(&planner);
    fftwf_plan p = fftwf_plan_dft_c2r_2d(n0, n1, in, out, flags);
    pthread_mutex_unlock(&planner);
    return p;
}

fftwf_plan fft_plan_dft_2d(int n0, int n1, fftwf_complex *in, fftwf_complex *out, int sign,
                           unsigned flags)
{
    pthread_mutex_lock(&planner);
    fftwf_plan p = fftwf_plan_dft_2d(n0, n1, in, out, sign, flags);
    pthread_mutex_unlock(&planner);
    return p;
}

void fft_destroy_plan(fftwf_plan p)
{
    pthread_mutex_lock(&planner);
    fftwf_destroy_plan(p);
    pthread_mutex_unlock(&planner);
}
