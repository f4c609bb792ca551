/* A stage's link check (meson.build, "The layers"): linked with the whole of one stage's
 * library and only the stages below it, so that any call from the stage into a higher one is an
 * undefined reference at link time. Runs nothing. */
int main(void)
{
    return 0;
}
