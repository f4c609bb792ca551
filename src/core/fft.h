/* fft.h: FFTW's planner is not thread-safe (only fftwf_execute is). Every plan this program
 * makes or destroys goes through these wrappers, which hold one process-wide lock, so that
 * stages can be created on several threads at once (the experiments run one sim per thread).
 * Plans are still made with FFTW_ESTIMATE only: the same plan, and bits, every run. */
#ifndef SACCADE_CORE_FFT_H
#define SACCADE_CORE_FFT_H

#include <fftw3.h>

fftwf_plan fft_plan_dft_r2c_2d(int n0, int n1, float *in, fftwf_complex *out, unsigned flags);
fftwf_plan fft_plan_dft_c2r_2d(int n0, int n1, fftwf_complex *in, float *out, unsigned flags);
fftwf_plan fft_plan_dft_2d(int n0, int n1, fftwf_complex *in, fftwf_complex *out, int sign,
                           unsigned flags);
void fft_destroy_plan(fftwf_plan p);

#endif
