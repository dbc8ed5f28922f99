// Double-precision matrix multiply (i-k-j loop order), then a checksum of the product.
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv)
{
    int size = argc > 1 ? atoi(argv[1]) : 200;
    double* a = malloc(sizeof(double) * (size_t)size * (size_t)size);
    double* b = malloc(sizeof(double) * (size_t)size * (size_t)size);
    double* c = calloc((size_t)size * (size_t)size, sizeof(double));
    for (int row = 0; row < size; row++)
        for (int column = 0; column < size; column++) {
            a[row * size + column] = (double)((row * 7 + column * 3) % 17) / 8.0 - 1.0;
            b[row * size + column] = (double)((row * 5 + column * 11) % 13) / 4.0 - 1.5;
        }
    for (int row = 0; row < size; row++)
        for (int inner = 0; inner < size; inner++) {
            double factor = a[row * size + inner];
            for (int column = 0; column < size; column++)
                c[row * size + column] += factor * b[inner * size + column];
        }
    double sum = 0, weighted = 0;
    for (int index = 0; index < size * size; index++) {
        sum += c[index];
        weighted += c[index] * (double)(index % 7);
    }
    printf("matmul %d: sum %.6f weighted %.6f\n", size, sum, weighted);
    return 0;
}
