using HpcGB.Engine.Model;

namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>
/// All unordered pairs i &lt; j closer than a radius r ≤ ¼ (nearest periodic image), found by binning into
/// m = ⌊1/r⌋ cells per axis and scanning each cell against itself and the forward half of its 3 × 3 (1D: 3)
/// stencil; with m &lt; 3 every pair is tested. Pairs come out as (min, max) in an order fixed by the positions. The list is rebuilt from the current positions at every Newton iteration, so dipoles that form
/// during a step are in it.
/// </summary>
internal sealed class NeighbourPairs
{
    private int[] _first = new int[1024];
    private int[] _second = new int[1024];
    private int[] _cellStart = [];
    private int[] _sorted = [];
    private int[] _cellOf = [];
    private double[] _w1 = [], _w2 = [];
    private int[]? _held;

    public int Count { get; private set; }

    public int First(int p) => _first[p];

    public int Second(int p) => _second[p];

    /// <summary>
    /// Rebuilds the list for <paramref name="state"/> with radius <paramref name="radius"/>; with
    /// <paramref name="held"/> (≥ 0 for the particles held on this rank, −1 for ghosts: <see cref="IStageHalo"/>)
    /// only the pairs with a held particle.
    /// </summary>
    public void Build(ParticleState state, double radius, int[]? held = null)
    {
        Count = 0;
        _held = held;
        int n = state.Count, d = state.Dimension;
        if (_w1.Length != n)
        {
            _w1 = new double[n];
            _w2 = new double[n];
        }
        for (int i = 0; i < n; i++)
        {
            _w1[i] = Torus.Wrap(state.Positions[0][i]);
            _w2[i] = d == 2 ? Torus.Wrap(state.Positions[1][i]) : 0.0;
        }
        double r2 = radius * radius;
        int m = (int)Math.Floor(1.0 / radius);
        if (m < 3)
        {
            for (int i = 0; i < n; i++)
            {
                for (int j = i + 1; j < n; j++)
                {
                    TryAdd(i, j, r2);
                }
            }
            return;
        }
        BinParticles(n, d, m);
        // Each cell with itself (a < b) and with its forward half of the stencil, so every pair of neighbouring
        // cells is visited once (m ≥ 3 makes the stencil's cells distinct).
        ReadOnlySpan<(int X, int Y)> forward = d == 2 ? [(1, 0), (-1, 1), (0, 1), (1, 1)] : [(1, 0)];
        int my = d == 2 ? m : 1;
        for (int cy = 0; cy < my; cy++)
        {
            for (int cx = 0; cx < m; cx++)
            {
                int cell = cy * m + cx;
                int start = _cellStart[cell], end = _cellStart[cell + 1];
                for (int a = start; a < end; a++)
                {
                    for (int b = a + 1; b < end; b++)
                    {
                        TryAdd(_sorted[a], _sorted[b], r2);
                    }
                }
                foreach (var (ox, oy) in forward)
                {
                    int other = ((cy + oy + my) % my) * m + (cx + ox + m) % m;
                    int otherStart = _cellStart[other], otherEnd = _cellStart[other + 1];
                    for (int a = start; a < end; a++)
                    {
                        for (int b = otherStart; b < otherEnd; b++)
                        {
                            TryAdd(_sorted[a], _sorted[b], r2);
                        }
                    }
                }
            }
        }
    }

    /// <summary>Adds (min, max) when the nearest-image distance of two wrapped points is below √r2.</summary>
    private void TryAdd(int i, int j, double r2)
    {
        double a = Fold(_w1[i] - _w1[j]);
        double b = Fold(_w2[i] - _w2[j]);
        if (a * a + b * b < r2 && (_held is null || _held[i] >= 0 || _held[j] >= 0))
        {
            if (Count == _first.Length)
            {
                Array.Resize(ref _first, 2 * Count);
                Array.Resize(ref _second, 2 * Count);
            }
            _first[Count] = Math.Min(i, j);
            _second[Count] = Math.Max(i, j);
            Count++;
        }
    }

    /// <summary>The nearest image of a difference of two wrapped coordinates (in (−1, 1)).</summary>
    private static double Fold(double d) => d > 0.5 ? d - 1 : d < -0.5 ? d + 1 : d;

    /// <summary>A counting sort of the particles by cell (wrapped positions).</summary>
    private void BinParticles(int n, int d, int m)
    {
        int cells = d == 2 ? m * m : m;
        if (_cellStart.Length != cells + 1)
        {
            _cellStart = new int[cells + 1];
        }
        Array.Clear(_cellStart);
        if (_cellOf.Length != n)
        {
            _cellOf = new int[n];
            _sorted = new int[n];
        }
        for (int i = 0; i < n; i++)
        {
            int cx = Math.Min(m - 1, (int)(_w1[i] * m));
            int cy = d == 2 ? Math.Min(m - 1, (int)(_w2[i] * m)) : 0;
            _cellOf[i] = cy * m + cx;
            _cellStart[_cellOf[i] + 1]++;
        }
        for (int c = 0; c < cells; c++)
        {
            _cellStart[c + 1] += _cellStart[c];
        }
        var fill = (int[])_cellStart.Clone();
        for (int i = 0; i < n; i++)
        {
            _sorted[fill[_cellOf[i]]++] = i;
        }
    }
}
