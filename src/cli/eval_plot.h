/* eval_plot.h: a small line plot (axes, ticks, lines, legend) drawn into an RGB buffer and saved
 * as PNG with SDL2_image, for `saccade eval`. Text is drawn with core/text.h (DejaVu Sans). */
#ifndef SACCADE_CLI_EVAL_PLOT_H
#define SACCADE_CLI_EVAL_PLOT_H

typedef struct PlotSeries {
    const char *name; /* legend text */
    const double *x, *y;
    int n;
    int dashed; /* style flags: PLOT_DASHED (1: reference lines, as before), PLOT_FADED (a light
                 * tint: context, not the comparison), PLOT_POINTS (large marks, no line:
                 * external measurements) */
} PlotSeries;

enum { PLOT_DASHED = 1, PLOT_FADED = 2, PLOT_POINTS = 4 };

typedef struct PlotSpec {
    const char *title, *xlabel, *ylabel;
    double xmin, xmax, ymin, ymax;
    double xstep, ystep; /* tick spacing */
    double legend_y;     /* legend position: 0 top of the plot area .. 1 bottom */
} PlotSpec;

/* Writes a 720x450 PNG. Returns 0, or -1 with sc_last_error() naming the file. */
int plot_write_png(const char *path, const PlotSpec *spec, const PlotSeries *series, int n_series);

#endif
