#include "data/mnist.h"

int header_mnist(void);
int header_mnist(void)
{
    return MNIST_SIDE == 28;
}
