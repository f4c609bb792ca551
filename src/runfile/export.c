/* export.c: fixation tables from a run file (no simulation needed). */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/utf8.h"
#include "runfile/runfile.h"

typedef struct Row {
    double start_ms, end_ms, duration_ms;
    double x_px, y_px, x_deg, y_deg;
    int open;
} Row;

static void row_of(const RunFile *rf, const RunFixation *f, Row *r)
{
    const RunHeader *h = &rf->header;
    r->open = f->end_ms < 0;
    r->start_ms = f->start_ms;
    /* an open fixation (the last one, recorded at the end) lasts to the end of the run */
    r->end_ms = r->open ? (double)rf->end_tick * h->tick_ms : f->end_ms;
    r->duration_ms = r->end_ms - r->start_ms;
    r->x_px = f->x;
    r->y_px = f->y;
    r->x_deg = (f->x - 0.5 * (h->world_w - 1)) / h->px_per_deg;
    r->y_deg = (f->y - 0.5 * (h->world_h - 1)) / h->px_per_deg;
}

/* CSV field: quoted when it holds a comma, quote or line break. */
static void csv_str(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

int runfile_export_csv(const RunFile *rf, FILE *f)
{
    fputs("index,start_ms,end_ms,duration_ms,x_px,y_px,x_deg,y_deg,amplitude_deg,"
          "peak_velocity_deg_s,label,confidence,object\n",
          f);
    for (size_t i = 0; i < rf->n_fixations; i++) {
        const RunFixation *x = rf->fixations[i];
        Row r;
        row_of(rf, x, &r);
        fprintf(f, "%zu,%.3f,%.3f,%.3f,%.2f,%.2f,%.4f,%.4f,%.4f,%.2f,", i, r.start_ms, r.end_ms,
                r.duration_ms, r.x_px, r.y_px, r.x_deg, r.y_deg, (double)x->amplitude_deg,
                (double)x->peak_velocity_deg_s);
        csv_str(f, x->label >= 0 ? x->label_name : "");
        fprintf(f, ",%.4f,%d\n", x->label >= 0 ? (double)x->confidence : 0.0, (int)x->object);
    }
    if (fflush(f) != 0 || ferror(f)) {
        sc_set_error("write error");
        return -1;
    }
    return 0;
}

int runfile_export_json(const RunFile *rf, FILE *f)
{
    const RunHeader *h = &rf->header;
    char fixed[1100]; /* UTF-8-fixed copies of texts that are also paths */
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "format_version", h->version);
    cJSON_AddStringToObject(root, "program_version", h->program_version);
    cJSON_AddStringToObject(root, "scene",
                            utf8_fixed(scene_spec_name(&h->scene), fixed, sizeof fixed));
    cJSON_AddNumberToObject(root, "seed", (double)h->seed);
    cJSON_AddNumberToObject(root, "tick_ms", h->tick_ms);
    cJSON_AddNumberToObject(root, "px_per_deg", h->px_per_deg);
    cJSON_AddNumberToObject(root, "width", h->world_w);
    cJSON_AddNumberToObject(root, "height", h->world_h);
    cJSON_AddNumberToObject(root, "start_tick", (double)h->start_tick);
    cJSON_AddNumberToObject(root, "end_tick", (double)rf->end_tick);
    cJSON_AddBoolToObject(root, "complete", rf->complete);
    if (rf->torn_note[0])
        cJSON_AddStringToObject(root, "note", utf8_fixed(rf->torn_note, fixed, sizeof fixed));
    cJSON *arr = cJSON_AddArrayToObject(root, "fixations");
    for (size_t i = 0; arr && i < rf->n_fixations; i++) {
        const RunFixation *x = rf->fixations[i];
        Row r;
        row_of(rf, x, &r);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "index", (double)i);
        cJSON_AddNumberToObject(o, "start_ms", r.start_ms);
        cJSON_AddNumberToObject(o, "end_ms", r.end_ms);
        cJSON_AddNumberToObject(o, "duration_ms", r.duration_ms);
        cJSON_AddNumberToObject(o, "x_px", r.x_px);
        cJSON_AddNumberToObject(o, "y_px", r.y_px);
        cJSON_AddNumberToObject(o, "x_deg", r.x_deg);
        cJSON_AddNumberToObject(o, "y_deg", r.y_deg);
        cJSON_AddNumberToObject(o, "amplitude_deg", x->amplitude_deg);
        cJSON_AddNumberToObject(o, "saccade_ms", x->saccade_ms);
        cJSON_AddNumberToObject(o, "peak_velocity_deg_s", x->peak_velocity_deg_s);
        if (x->label >= 0) {
            cJSON_AddStringToObject(o, "label", x->label_name);
            cJSON_AddNumberToObject(o, "confidence", x->confidence);
        } else {
            cJSON_AddNullToObject(o, "label");
            cJSON_AddNullToObject(o, "confidence");
        }
        if (x->object >= 0)
            cJSON_AddNumberToObject(o, "object", x->object);
        else
            cJSON_AddNullToObject(o, "object");
        cJSON_AddBoolToObject(o, "corrective", x->corrective);
        cJSON_AddBoolToObject(o, "manual", x->manual);
        cJSON_AddBoolToObject(o, "open", r.open);
        cJSON_AddItemToArray(arr, o);
    }
    char *txt = cJSON_Print(root);
    cJSON_Delete(root);
    if (!txt) {
        sc_set_error("out of memory printing JSON");
        return -1;
    }
    fputs(txt, f);
    fputc('\n', f);
    free(txt);
    if (fflush(f) != 0 || ferror(f)) {
        sc_set_error("write error");
        return -1;
    }
    return 0;
}
