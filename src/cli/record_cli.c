#include "cli/record_cli.h"

#include <string.h>

#include "classifier/classifier.h"
#include "core/log.h"
#include "sim/sim_model.h"

int record_cli_model_load(RecordCliModel *m, const RunFile *rf, const char *path)
{
    memset(m, 0, sizeof *m);
    const uint64_t want = rf->header.model_hash;
    if (want == 0)
        return 0;
    /* an explicit model is used as given (record_sim_create names a hash mismatch); else the
     * scene's default reader, then the shipped ones, whose hash is the recorded one */
    if (!(m->model = sim_model_find(&rf->header.scene, path, want)))
        return -1;
    m->cls = *sim_model_hook(m->model);
    m->cls_ptr = &m->cls;
    m->hash = sim_model_hash(m->model);
    return 0;
}

void record_cli_model_free(RecordCliModel *m)
{
    sim_model_close(&m->model);
    memset(m, 0, sizeof *m);
}
