#include "measure.h"

#include <math.h>

double measure_thdn_db(const int32_t *x, size_t n, double cycles, double *amplitude)
{
    double sc = 0, ss = 0, dc = 0;
    for (size_t i = 0; i < n; i++) {
        double a = 2.0 * M_PI * cycles * (double)i / (double)n;
        dc += x[i];
        sc += x[i] * cos(a);
        ss += x[i] * sin(a);
    }
    dc /= (double)n;
    double ca = 2.0 * sc / (double)n, sa = 2.0 * ss / (double)n, rest = 0;
    for (size_t i = 0; i < n; i++) {
        double a = 2.0 * M_PI * cycles * (double)i / (double)n;
        double r = x[i] - dc - ca * cos(a) - sa * sin(a);
        rest += r * r;
    }
    double fund = (ca * ca + sa * sa) / 2.0 * (double)n;
    if (amplitude)
        *amplitude = sqrt(ca * ca + sa * sa);
    return 10.0 * log10(rest / fund);
}
