/* Links the header self-containment units (header_*.c): each includes one public header first. */
int header_retina_ok(void);
int header_v1_ok(void);
int header_saliency_ok(void);

int main(void)
{
    return header_retina_ok() > 0 && header_v1_ok() > 0 && header_saliency_ok() > 0 ? 0 : 1;
}
