using HpcGB.Engine.Model;

namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>
/// All unordered pairs i &lt; j closer than a radius r ≤ ¼ (nearest periodic image), found by binning into
/// m = ⌊1/r⌋ cells per axis and scanning the 3 × 3 (1D: 3) neighbouring cells; with m &lt; 3 every pair is
/// tested. The list is rebuilt from the current positions at every Newton iteration, so dipoles that form
/// during a step are in it.
/// </summary>
internal sealed class NeighbourPairs
{
    private readonly List<int> _first = [];
    private readonly List<int> _second = [];
    private int[] _cellStart = [];
    private int[] _sorted = [];
    private int[] _cellOf = [];

    public int Count => _first.Count;

    public int First(int p) => _first[p];

    public int Second(int p) => _second[p];

    /// <summary>Rebuilds the list for <paramref name="state"/> with radius <paramref name="radius"/>.</summary>
    public void Build(ParticleState state, double radius)
    {
        _first.Clear();
        _second.Clear();
        int n = state.Count, d = state.Dimension;
        double[] x1 = state.Positions[0];
        double[] x2 = d == 2 ? state.Positions[1] : x1;
        double r2 = radius * radius;
        int m = (int)Math.Floor(1.0 / radius);
        if (m < 3)
        {
            for (int i = 0; i < n; i++)
            {
                for (int j = i + 1; j < n; j++)
                {
                    TryAdd(i, j);
                }
            }
            return;
        }
        BinParticles(state, m);
        int my = d == 2 ? m : 1;
        for (int cy = 0; cy < my; cy++)
        {
            for (int cx = 0; cx < m; cx++)
            {
                int cell = cy * m + cx;
                for (int a = _cellStart[cell]; a < _cellStart[cell + 1]; a++)
                {
                    int i = _sorted[a];
                    for (int oy = d == 2 ? -1 : 0; oy <= (d == 2 ? 1 : 0); oy++)
                    {
                        for (int ox = -1; ox <= 1; ox++)
                        {
                            int other = ((cy + oy + my) % my) * m + (cx + ox + m) % m;
                            for (int b = _cellStart[other]; b < _cellStart[other + 1]; b++)
                            {
                                int j = _sorted[b];
                                if (j > i)
                                {
                                    TryAdd(i, j);
                                }
                            }
                        }
                    }
                }
            }
        }

        void TryAdd(int i, int j)
        {
            double a = Torus.Nearest(x1[i] - x1[j]);
            double b = d == 2 ? Torus.Nearest(x2[i] - x2[j]) : 0.0;
            if (a * a + b * b < r2)
            {
                _first.Add(i);
                _second.Add(j);
            }
        }
    }

    /// <summary>A counting sort of the particles by cell (wrapped positions).</summary>
    private void BinParticles(ParticleState state, int m)
    {
        int n = state.Count, d = state.Dimension;
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
            int cx = Math.Min(m - 1, (int)(Torus.Wrap(state.Positions[0][i]) * m));
            int cy = d == 2 ? Math.Min(m - 1, (int)(Torus.Wrap(state.Positions[1][i]) * m)) : 0;
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
