// The near field on the cell list (compiled with -D DIM=1|2 -D KIND=k -D VEC=1|8): one work-item per particle in
// cell order sums b_i b_j grad s(x_i - x_j) and b_i b_j s over every other particle of its own and the neighbouring
// cells within r_c (minimum image; r_c <= 1/2 leaves one image), in a fixed order, and writes the sums at the
// particle's original index. Each pair is evaluated from both sides: no write conflicts, no atomics, bit-identical
// repeats. The neighbouring cells of one cell row are contiguous in cell order except across the periodic seam, so
// they are walked as one or two runs of sorted positions (the sorted arrays carry VEC - 1 padding values for the
// last block). The pair body has no branches: masked lanes compute at a harmless r^2 and are dropped. Under the
// unregularised kinds a pair closer than COLLISION_DISTANCE is not summed; the smallest original index of a colliding
// particle is recorded (atomic_min: the same for any timing) for the host to report.

typedef struct
{
    real g1, g2, e;
    mask collided;
} PairSums;

// The pair body on VEC pairs: adds b_i b_j grad s (and b_i b_j s) where `use` is set. A masked lane may hold any
// bits (the CPU queue's last block reads slots never written: NaN or huge in fresh private memory), and a zero weight
// does not clear them (0 x NaN = NaN): its offsets, distance and weight are all replaced by harmless values.
void pair_add(const ShortConstants* constants, real d1, real d2, real r2, real bb, mask use, double cutoffSquared,
              int withEnergy, PairSums* sums)
{
    real r2Safe = WHERE(use, r2, (real)(0.25 * cutoffSquared));
    d1 = WHERE(use, d1, (real)0.0);
    d2 = WHERE(use, d2, (real)0.0);
    bb = WHERE(use, bb, (real)0.0);
    real a1, a2;
    short_gradient(constants, d1, d2, r2Safe, &a1, &a2);
    sums->g1 += bb * a1;
    sums->g2 += bb * a2;
    if (withEnergy)
    {
        sums->e += bb * short_potential(constants, d1, d2, r2Safe);
    }
}

#if VEC == 1
// A GPU work-item: each candidate in turn, the lanes of the hardware being the work-items.
typedef int Pending;

void pair_run(const ShortConstants* constants, __global const double* sorted1, __global const double* sorted2,
              __global const double* sortedSigns, int k, double xi, double yi, double bi, double cutoffSquared,
              int withEnergy, int begin, int end, Pending* pending, PairSums* sums)
{
    for (int j = begin; j < end; j++)
    {
        double d1 = xi - sorted1[j];
        d1 -= rint(d1);
        double d2 = 0.0;
#if DIM == 2
        d2 = yi - sorted2[j];
        d2 -= rint(d2);
#endif
        double r2 = d1 * d1 + d2 * d2;
        mask use = CMP(j != k) & CMP(r2 < cutoffSquared);
#if SINGULAR
        mask close = use & CMP(r2 < COLLISION_DISTANCE * COLLISION_DISTANCE);
        sums->collided |= close;
        use &= ~close;
#endif
        pair_add(constants, d1, d2, r2, bi * sortedSigns[j], use, cutoffSquared, withEnergy, sums);
    }
}

void pair_flush(const ShortConstants* constants, double cutoffSquared, int withEnergy, Pending* pending, PairSums* sums)
{
}
#else
// A CPU device's work-item: the candidates are tested VEC at a time and the pairs within r_c packed into a queue,
// which is evaluated VEC pairs at a time; about two thirds of the candidates of 3 x 3 cells lie beyond r_c, and the
// short-range functions are the cost. The queue keeps the candidates' order: the sums are the same for the same input.
#define PENDING (8 * VEC)
typedef struct
{
    double d1[PENDING + VEC], d2[PENDING + VEC], bb[PENDING + VEC];
    int count;
} Pending;

// Evaluates the first `count` queued pairs (the last block masked), keeping nothing.
void pair_drain(const ShortConstants* constants, double cutoffSquared, int withEnergy, Pending* pending, int count,
                PairSums* sums)
{
    for (int q = 0; q < count; q += VEC)
    {
        real d1 = XPASTE(vload, VEC)(0, pending->d1 + q);
        real d2 = XPASTE(vload, VEC)(0, pending->d2 + q);
        mask use = CMP((long)q + LANE_OFFSETS < (long)count);
        pair_add(constants, d1, d2, d1 * d1 + d2 * d2, XPASTE(vload, VEC)(0, pending->bb + q), use, cutoffSquared,
                 withEnergy, sums);
    }
}

void pair_run(const ShortConstants* constants, __global const double* sorted1, __global const double* sorted2,
              __global const double* sortedSigns, int k, double xi, double yi, double bi, double cutoffSquared,
              int withEnergy, int begin, int end, Pending* pending, PairSums* sums)
{
    double t1[VEC], t2[VEC], tb[VEC];
    long tu[VEC];
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
        mask close = use & CMP(r2 < COLLISION_DISTANCE * COLLISION_DISTANCE);
        sums->collided |= close;
        use &= ~close;
#endif
        if (!ANY(use))
        {
            continue;
        }
        XPASTE(vstore, VEC)(d1, 0, t1);
        XPASTE(vstore, VEC)(d2, 0, t2);
        XPASTE(vstore, VEC)(bi * LOAD(sortedSigns, j), 0, tb);
        XPASTE(vstore, VEC)(use, 0, tu);
        int c = pending->count;
        for (int l = 0; l < VEC; l++)
        {
            pending->d1[c] = t1[l];
            pending->d2[c] = t2[l];
            pending->bb[c] = tb[l];
            c += tu[l] != 0;
        }
        if (c >= PENDING)
        {
            pair_drain(constants, cutoffSquared, withEnergy, pending, PENDING, sums);
            for (int l = 0; l < c - PENDING; l++)
            {
                pending->d1[l] = pending->d1[PENDING + l];
                pending->d2[l] = pending->d2[PENDING + l];
                pending->bb[l] = pending->bb[PENDING + l];
            }
            c -= PENDING;
        }
        pending->count = c;
    }
}

void pair_flush(const ShortConstants* constants, double cutoffSquared, int withEnergy, Pending* pending, PairSums* sums)
{
    pair_drain(constants, cutoffSquared, withEnergy, pending, pending->count, sums);
    pending->count = 0;
}
#endif

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
#if VEC == 1
    Pending pending = 0;
#else
    Pending pending;
    pending.count = 0;
#endif
    for (int oy = 0; oy < (DIM == 2 ? span : 1); oy++)
    {
        int row = DIM == 2 ? wrap_cell(cy + yFirst + oy, m) * m : 0;
        // Columns [a, b) before wrapping: one run, or two across the seam.
        int a = first, b = first + span;
        int a1 = wrap_cell(a, m), b1 = a < 0 ? m : min(b, m);
        pair_run(&constants, sorted1, sorted2, sortedSigns, k, xi, yi, bi, cutoffSquared, withEnergy,
                 cellStart[row + a1], cellStart[row + b1], &pending, &sums);
        if (a < 0 || b > m)
        {
            int b2 = a < 0 ? b : b - m;
            pair_run(&constants, sorted1, sorted2, sortedSigns, k, xi, yi, bi, cutoffSquared, withEnergy,
                     cellStart[row], cellStart[row + b2], &pending, &sums);
        }
    }
    pair_flush(&constants, cutoffSquared, withEnergy, &pending, &sums);
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
