#include "data/dataset.h"

int header_dataset(void);
int header_dataset(void)
{
    return DATASET_PATCH_N == 784;
}
