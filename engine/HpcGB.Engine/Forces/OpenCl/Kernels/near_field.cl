// The near field on the cell list (compiled with -D DIM=1|2 -D KIND=k): one work-item per particle in cell order
// sums b_i b_j grad s(x_i - x_j) and b_i b_j s over every other particle of its own and the neighbouring cells
// within r_c (minimum image; r_c <= 1/2 leaves one image), in a fixed order, and writes the sums at the particle's
// original index. Each pair is evaluated from both sides: no write conflicts, no atomics, bit-identical repeats.
// Under the unregularised kinds a pair closer than COLLISION_DISTANCE is not summed; the smaller original index of
// such a pair is recorded (atomic_min: the same for any timing) for the host to report.

int wrap_cell(int c, int m)
{
    return c < 0 ? c + m : c >= m ? c - m : c;
}

__kernel void near_field(__global const double* sorted1, __global const double* sorted2, __global const double* sortedSigns,
                         __global const int* cellStart, __global const int* order, int n, int m,
                         double sigma, double delta, double cutoff, int withEnergy,
                         __global double* near1, __global double* near2, __global double* energy, __global int* collision)
{
    int k = get_global_id(0);
    if (k >= n)
    {
        return;
    }
    ShortConstants constants = short_constants(sigma, delta);
    double cutoffSquared = cutoff * cutoff;
    double xi = sorted1[k];
    double yi = DIM == 2 ? sorted2[k] : 0.0;
    double bi = sortedSigns[k];
    int cx = cell_index(xi, m);
    int cy = DIM == 2 ? cell_index(yi, m) : 0;
    // The distinct neighbouring cells: offsets -1, 0, 1 for m >= 3; 0, 1 for m = 2; 0 for m = 1.
    int span = min(m, 3);
    int first = m >= 3 ? -1 : 0;
    double g1 = 0.0, g2 = 0.0, e = 0.0;
    for (int oy = 0; oy < (DIM == 2 ? span : 1); oy++)
    {
        int row = DIM == 2 ? wrap_cell(cy + first + oy, m) * m : 0;
        for (int ox = 0; ox < span; ox++)
        {
            int c = row + wrap_cell(cx + first + ox, m);
            int end = cellStart[c + 1];
            for (int j = cellStart[c]; j < end; j++)
            {
                if (j == k)
                {
                    continue;
                }
                double d1 = xi - sorted1[j];
                d1 -= rint(d1);
                double d2 = 0.0;
                if (DIM == 2)
                {
                    d2 = yi - sorted2[j];
                    d2 -= rint(d2);
                }
                double r2 = d1 * d1 + d2 * d2;
                if (!(r2 < cutoffSquared))
                {
                    continue;
                }
#if SINGULAR
                if (r2 < COLLISION_DISTANCE * COLLISION_DISTANCE)
                {
                    if (order[k] < order[j])
                    {
                        atomic_min(collision, order[k]);
                    }
                    continue;
                }
#endif
                double bb = bi * sortedSigns[j];
                double a1, a2;
                short_gradient(&constants, d1, d2, r2, &a1, &a2);
                g1 += bb * a1;
                g2 += bb * a2;
                if (withEnergy)
                {
                    e += bb * short_potential(&constants, d1, d2, r2);
                }
            }
        }
    }
    int i = order[k];
    near1[i] = g1;
    if (DIM == 2)
    {
        near2[i] = g2;
    }
    if (withEnergy)
    {
        energy[k] = e;
    }
}
