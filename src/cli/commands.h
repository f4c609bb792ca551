/* commands.h: one function per subcommand, each in its own file; main.c dispatches.
 * Each returns the process exit code: 0 ok, 1 failed run, 2 usage error. */
#ifndef SACCADE_CLI_COMMANDS_H
#define SACCADE_CLI_COMMANDS_H

int cmd_run(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_live(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_eval(int argc, char **argv);
/* Every `saccade eval` task, for the messages that list them (eval.c, main.c). */
#define EVAL_TASK_LIST                                                                             \
    "centred, eccentricity, translated60, cluttered60, cluttered100, rivals, reading, pursuit, "   \
    "goggles, plasticity"
int cmd_eval_rivals(int argc, char **argv);  /* eval_rivals.c, reached as `saccade eval rivals` */
int cmd_eval_reading(int argc, char **argv); /* eval_reading.c, `saccade eval reading` */
int cmd_eval_pursuit(int argc, char **argv); /* eval_pursuit.c, `saccade eval pursuit` */
int cmd_eval_goggles(int argc, char **argv); /* eval_goggles.c, `saccade eval goggles` */
/* eval_goggles_reading.c, `saccade eval goggles --reading` */
int cmd_eval_goggles_reading(int argc, char **argv);
int cmd_eval_plasticity(int argc, char **argv); /* eval_plasticity.c, `eval plasticity` */
/* `saccade bench --window`: frames per second of the live window (src/cli/bench_window.c). */
int bench_window(int argc, char **argv);

#endif
