/* Each public header of the data area compiles on its own: one translation unit per header. */
int header_mnist(void);
int header_dataset(void);

int main(void)
{
    return header_mnist() && header_dataset() ? 0 : 1;
}
