/* Each public header of src/eval and src/nn compiles on its own: one translation unit per
 * header. */
int header_eval(void);
int header_rivals(void);
int header_canvas(void);
int header_eye(void);
int header_net(void);
int header_plasticity(void);

int main(void)
{
    return header_eval() && header_rivals() && header_canvas() && header_eye() && header_net() &&
                   header_plasticity()
               ? 0
               : 1;
}
