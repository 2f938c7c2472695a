// Smooth PME on the device (compiled with -D DIM=1|2 -D ORDER=p), the CPU's ParticleMeshEwald stage by stage.
// Spreading is deterministic without atomics: the mesh rows (and columns) are cut into an even number T of tiles of
// at least ORDER rows; a particle in tile a writes only tiles a-1 and a, so the tiles of one colour (a mod 2, b mod 2)
// never share a mesh point and run in parallel, one work-item per tile walking its particles in sorted order, the
// colours one after another: every mesh point receives its terms in one fixed order.

// The ORDER B-spline weights (or their derivatives: terms = ORDER - 1) at fractional part f, in increasing mesh
// order, from the coefficient table c[k*ORDER + q] of f^k in w[q] (BSplineStencil's table).
void stencil(__constant const double* c, int terms, double f, double* w)
{
    for (int q = 0; q < ORDER; q++)
    {
        double v = c[(terms - 1) * ORDER + q];
        for (int k = terms - 2; k >= 0; k--)
        {
            v = v * f + c[k * ORDER + q];
        }
        w[q] = v;
    }
}

int wrap_mesh(int m, int mesh)
{
    return m >= mesh ? m - mesh : m < 0 ? m + mesh : m;
}

// One work-item per tile of colour `colour` (bit 0: a mod 2, bit 1: b mod 2); T = tiles per axis (even, or 1).
__kernel void spread(__global const double* sorted1, __global const double* sorted2, __global const double* sortedSigns,
                     __global const int* tileStart, int tiles, int colour, int mesh,
                     __constant const double* weights, __global double* charge)
{
    int t = get_global_id(0);
    int pairs = tiles == 1 ? 1 : tiles / 2;
    int a, b;
#if DIM == 2
    if (t >= pairs * pairs)
    {
        return;
    }
    a = tiles == 1 ? 0 : 2 * (t / pairs) + (colour & 1);
    b = tiles == 1 ? 0 : 2 * (t % pairs) + ((colour >> 1) & 1);
    int tile = a * tiles + b;
#else
    if (t >= pairs)
    {
        return;
    }
    a = tiles == 1 ? 0 : 2 * t + (colour & 1);
    b = 0;
    int tile = a;
#endif
    double w1[ORDER], w2[ORDER];
    int end = tileStart[tile + 1];
    for (int k = tileStart[tile]; k < end; k++)
    {
        double f1;
        int r0 = wrap_mesh(mesh_point(sorted1[k], mesh, &f1) - ORDER + 1, mesh);
        stencil(weights, ORDER, f1, w1);
        double s = sortedSigns[k];
#if DIM == 2
        double f2;
        int c0 = wrap_mesh(mesh_point(sorted2[k], mesh, &f2) - ORDER + 1, mesh);
        stencil(weights, ORDER, f2, w2);
        for (int q1 = 0; q1 < ORDER; q1++)
        {
            double v = s * w1[q1];
            __global double* row = charge + (long)wrap_mesh(r0 + q1, mesh) * mesh;
            for (int q2 = 0; q2 < ORDER; q2++)
            {
                row[wrap_mesh(c0 + q2, mesh)] += v * w2[q2];
            }
        }
#else
        for (int q = 0; q < ORDER; q++)
        {
            charge[wrap_mesh(r0 + q, mesh)] += s * w1[q];
        }
#endif
    }
}

// Multiplies the half spectrum by the influence function G; with energy, also writes the terms w G |Q^|^2 whose sum
// is sum_m Q(m) phi(m) (w = 2 for the columns that stand for two frequencies, 1 for k2 = 0 and k2 = M/2).
__kernel void convolve(__global double2* spectrum, __global const double* influence, int count, int columns, int withEnergy,
                       __global double* energyTerms)
{
    int e = get_global_id(0);
    if (e >= count)
    {
        return;
    }
    double g = influence[e];
    double2 z = spectrum[e];
    if (withEnergy)
    {
        int k2 = e % columns;
        double weight = k2 == 0 || k2 == columns - 1 ? 1.0 : 2.0;
        energyTerms[e] = weight * g * (z.x * z.x + z.y * z.y);
    }
    spectrum[e] = z * g;
}

// Gathers the mesh gradient at every particle (sorted order) and writes the velocity at its original index:
// v_i = -(g_mesh + g_near)_i / n, g_mesh = b_i M sum phi(m) grad W(u_i - m) with the analytic B-spline derivatives.
__kernel void gather(__global const double* sorted1, __global const double* sorted2, __global const double* sortedSigns,
                     __global const int* order, int n, int mesh, __constant const double* weights, __constant const double* derivatives,
                     __global const double* potential, int withNear, __global const double* near1, __global const double* near2,
                     double count, __global double* velocity1, __global double* velocity2)
{
    int k = get_global_id(0);
    if (k >= n)
    {
        return;
    }
    double w1[ORDER], d1[ORDER];
    double f1;
    int r0 = wrap_mesh(mesh_point(sorted1[k], mesh, &f1) - ORDER + 1, mesh);
    stencil(weights, ORDER, f1, w1);
    stencil(derivatives, ORDER - 1, f1, d1);
    double s = sortedSigns[k];
    int i = order[k];
#if DIM == 2
    double w2[ORDER], d2[ORDER];
    double f2;
    int c0 = wrap_mesh(mesh_point(sorted2[k], mesh, &f2) - ORDER + 1, mesh);
    stencil(weights, ORDER, f2, w2);
    stencil(derivatives, ORDER - 1, f2, d2);
    double acc1[ORDER], acc2[ORDER];
    for (int q = 0; q < ORDER; q++)
    {
        acc1[q] = 0.0;
        acc2[q] = 0.0;
    }
    // acc1[q] = sum_q1 W1'(q1) phi(r0 + q1, c0 + q), acc2[q] = sum_q1 W1(q1) phi(r0 + q1, c0 + q).
    for (int q1 = 0; q1 < ORDER; q1++)
    {
        __global const double* row = potential + (long)wrap_mesh(r0 + q1, mesh) * mesh;
        for (int q = 0; q < ORDER; q++)
        {
            double p = row[wrap_mesh(c0 + q, mesh)];
            acc1[q] += d1[q1] * p;
            acc2[q] += w1[q1] * p;
        }
    }
    double dot1 = 0.0, dot2 = 0.0;
    for (int q = 0; q < ORDER; q++)
    {
        dot1 += acc1[q] * w2[q];
        dot2 += acc2[q] * d2[q];
    }
    double g1 = s * mesh * dot1, g2 = s * mesh * dot2;
    if (withNear)
    {
        g1 += near1[i];
        g2 += near2[i];
    }
    velocity1[i] = -g1 / count;
    velocity2[i] = -g2 / count;
#else
    double acc = 0.0;
    for (int q = 0; q < ORDER; q++)
    {
        acc += potential[wrap_mesh(r0 + q, mesh)] * d1[q];
    }
    double g1 = s * mesh * acc;
    if (withNear)
    {
        g1 += near1[i];
    }
    velocity1[i] = -g1 / count;
#endif
}
