// The near field on the cell list (compiled with -D DIM=1|2 -D KIND=k -D VEC=1|8): one work-item per particle in
// cell order sums b_i b_j grad s(x_i - x_j) and b_i b_j s over every other particle of its own and the neighbouring
// cells within r_c (minimum image; r_c <= 1/2 leaves one image), VEC candidates at a time, in a fixed order, and
// writes the sums at the particle's original index. Each pair is evaluated from both sides: no write conflicts, no
// atomics, bit-identical repeats. The neighbouring cells of one cell row are contiguous in cell order except across
// the periodic seam, so they are walked as one or two runs of sorted positions (the sorted arrays carry VEC - 1
// padding values for the last block). The pair body has no branches: lanes past a run, the particle itself and
// pairs beyond r_c compute at a harmless r^2 and are dropped. Under the unregularised kinds a pair closer than
// COLLISION_DISTANCE is not summed; the smallest original index of a colliding particle is recorded (atomic_min:
// the same for any timing) for the host to report.

typedef struct
{
    real g1, g2, e;
    mask collided;
} PairSums;

void pair_run(const ShortConstants* constants, __global const double* sorted1, __global const double* sorted2,
              __global const double* sortedSigns, int k, double xi, double yi, double bi, double cutoffSquared,
              int withEnergy, int begin, int end, PairSums* sums)
{
    for (int j = begin; j < end; j += VEC)
    {
        mask lanes = CMP((long)j + LANE_OFFSETS < (long)end) & CMP((long)j + LANE_OFFSETS != (long)k);
        real d1 = xi - LOAD(sorted1, j);
        d1 -= rint(d1);
        real d2 = 0.0;
#if DIM == 2
        d2 = yi - LOAD(sorted2, j);
        d2 -= rint(d2);
#endif
        real r2 = d1 * d1 + d2 * d2;
        mask use = lanes & CMP(r2 < cutoffSquared);
#if SINGULAR
        mask close = lanes & CMP(r2 < COLLISION_DISTANCE * COLLISION_DISTANCE);
        sums->collided |= close;
        use &= ~close;
#endif
        real r2Safe = WHERE(use, r2, (real)(0.25 * cutoffSquared));
        real bb = WHERE(use, bi * LOAD(sortedSigns, j), (real)0.0);
        real a1, a2;
        short_gradient(constants, d1, d2, r2Safe, &a1, &a2);
        sums->g1 += bb * a1;
        sums->g2 += bb * a2;
        if (withEnergy)
        {
            sums->e += bb * short_potential(constants, d1, d2, r2Safe);
        }
    }
}

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
    // The distinct neighbouring cells of a row: columns cx-1 ... cx+1 for m >= 3, cx ... cx+m-1 for m < 3, wrapped.
    int span = min(m, 3);
    int first = cx + (m >= 3 ? -1 : 0);
    int yFirst = m >= 3 ? -1 : 0;
    PairSums sums = { (real)0.0, (real)0.0, (real)0.0, (mask)0 };
    for (int oy = 0; oy < (DIM == 2 ? span : 1); oy++)
    {
        int row = DIM == 2 ? wrap_cell(cy + yFirst + oy, m) * m : 0;
        // Columns [a, b) before wrapping: one run, or two across the seam.
        int a = first, b = first + span;
        int a1 = wrap_cell(a, m), b1 = a < 0 ? m : min(b, m);
        pair_run(&constants, sorted1, sorted2, sortedSigns, k, xi, yi, bi, cutoffSquared, withEnergy,
                 cellStart[row + a1], cellStart[row + b1], &sums);
        if (a < 0 || b > m)
        {
            int b2 = a < 0 ? b : b - m;
            pair_run(&constants, sorted1, sorted2, sortedSigns, k, xi, yi, bi, cutoffSquared, withEnergy,
                     cellStart[row], cellStart[row + b2], &sums);
        }
    }
    int i = order[k];
    near1[i] = HSUM(sums.g1);
    if (DIM == 2)
    {
        near2[i] = HSUM(sums.g2);
    }
    if (withEnergy)
    {
        energy[k] = HSUM(sums.e);
    }
    if (ANY(sums.collided))
    {
        atomic_min(collision, i);
    }
}
