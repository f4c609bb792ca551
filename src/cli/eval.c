#include "cli/commands.h"
#include "core/log.h"
int cmd_eval(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    sc_log_error("eval: not yet");
    return 1;
}
