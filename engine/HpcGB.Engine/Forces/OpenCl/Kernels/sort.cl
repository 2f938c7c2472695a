// Counting sort of the particles by a bin (a near-field cell or a PME tile), deterministic: counts by atomics (the
// counts do not depend on the order), exclusive prefix sums in fixed chunks, a scatter whose order within a bin
// depends on timing, then every bin's particles sorted by original index, which makes the order (bin, index)
// exactly, the CPU's stable order. Then the wrapped coordinates and signs are copied into that order.

__kernel void bin_cells(__global const double* x1, __global const double* x2, int n, int dimension, int m,
                        __global int* binOf, __global int* counts)
{
    int i = get_global_id(0);
    if (i >= n)
    {
        return;
    }
    int bin = cell_index(wrap_unit(x1[i]), m);
    if (dimension == 2)
    {
        bin += cell_index(wrap_unit(x2[i]), m) * m;
    }
    binOf[i] = bin;
    atomic_inc(&counts[bin]);
}

__kernel void bin_tiles(__global const double* x1, __global const double* x2, int n, int dimension, int mesh, int tiles,
                        __global int* binOf, __global int* counts)
{
    int i = get_global_id(0);
    if (i >= n)
    {
        return;
    }
    double frac;
    int bin = tile_of(mesh_point(wrap_unit(x1[i]), mesh, &frac), tiles, mesh);
    if (dimension == 2)
    {
        bin = bin * tiles + tile_of(mesh_point(wrap_unit(x2[i]), mesh, &frac), tiles, mesh);
    }
    binOf[i] = bin;
    atomic_inc(&counts[bin]);
}

// Prefix sums in three passes over `chunks` fixed chunks of the bins: chunk totals, their scan (one work-item),
// then each chunk's running sums. start[bins] = n.
__kernel void scan_chunk_totals(__global const int* counts, int bins, int chunk, int chunks, __global int* totals)
{
    int c = get_global_id(0);
    if (c >= chunks)
    {
        return;
    }
    int begin = c * chunk, end = min(bins, begin + chunk);
    int sum = 0;
    for (int b = begin; b < end; b++)
    {
        sum += counts[b];
    }
    totals[c] = sum;
}

__kernel void scan_totals(__global int* totals, int chunks)
{
    int running = 0;
    for (int c = 0; c < chunks; c++)
    {
        int t = totals[c];
        totals[c] = running;
        running += t;
    }
    totals[chunks] = running;
}

__kernel void scan_chunks(__global const int* counts, int bins, int chunk, __global const int* totals, int chunks,
                          __global int* start)
{
    int c = get_global_id(0);
    if (c >= chunks)
    {
        return;
    }
    int begin = c * chunk, end = min(bins, begin + chunk);
    int running = totals[c];
    for (int b = begin; b < end; b++)
    {
        start[b] = running;
        running += counts[b];
    }
    if (c == chunks - 1)
    {
        start[bins] = totals[chunks];
    }
}

__kernel void scatter(__global const int* binOf, int n, __global const int* start, __global int* fill, __global int* order)
{
    int i = get_global_id(0);
    if (i >= n)
    {
        return;
    }
    int bin = binOf[i];
    order[start[bin] + atomic_inc(&fill[bin])] = i;
}

// Moves a[r] down the max-heap a[0 .. size).
void sift_down(__global int* a, int r, int size)
{
    int v = a[r];
    for (;;)
    {
        int child = 2 * r + 1;
        if (child >= size)
        {
            break;
        }
        if (child + 1 < size && a[child + 1] > a[child])
        {
            child++;
        }
        if (a[child] <= v)
        {
            break;
        }
        a[r] = a[child];
        r = child;
    }
    a[r] = v;
}

// Sorts each bin's original indices ascending: insertion sort for short bins, heap sort for long ones (clusters).
__kernel void sort_bins(__global const int* start, int bins, __global int* order)
{
    int b = get_global_id(0);
    if (b >= bins)
    {
        return;
    }
    int lo = start[b], count = start[b + 1] - lo;
    __global int* a = order + lo;
    if (count <= 32)
    {
        for (int i = 1; i < count; i++)
        {
            int v = a[i], j = i - 1;
            while (j >= 0 && a[j] > v)
            {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = v;
        }
        return;
    }
    for (int r = count / 2 - 1; r >= 0; r--)
    {
        sift_down(a, r, count);
    }
    for (int last = count - 1; last > 0; last--)
    {
        int top = a[0];
        a[0] = a[last];
        a[last] = top;
        sift_down(a, 0, last);
    }
}

// The sorted copies: wrapped coordinates and signs (as doubles) at each sorted position.
__kernel void gather_sorted(__global const int* order, int n, int dimension, __global const double* x1, __global const double* x2,
                            __global const char* signs, __global double* sorted1, __global double* sorted2, __global double* sortedSigns)
{
    int k = get_global_id(0);
    if (k >= n)
    {
        return;
    }
    int i = order[k];
    sorted1[k] = wrap_unit(x1[i]);
    if (dimension == 2)
    {
        sorted2[k] = wrap_unit(x2[i]);
    }
    sortedSigns[k] = (double)signs[i];
}

// partials[p] = sum of values[p*chunk ... ) in index order: a reduction whose result depends only on the input.
__kernel void partial_sums(__global const double* values, int count, int chunk, int parts, __global double* partials)
{
    int p = get_global_id(0);
    if (p >= parts)
    {
        return;
    }
    int begin = p * chunk, end = min(count, begin + chunk);
    double sum = 0.0;
    for (int i = begin; i < end; i++)
    {
        sum += values[i];
    }
    partials[p] = sum;
}
