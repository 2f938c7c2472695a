using HpcGB.Engine.Model;

namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>
/// All unordered pairs i &lt; j closer than a radius r ≤ ¼ (nearest periodic image), listed as (min, max) in
/// lexicographic order, so the list (and every sum over it) depends on the positions alone. The list is made at
/// every Newton iteration from the current positions (dipoles that form during a step are in it), by filtering a
/// Verlet list: the candidate pairs within r + s (skin s = <see cref="SkinFraction"/>·r) found at reference
/// positions, kept while no particle has moved s/2 from them (then every pair within r now was within r + s
/// there). Candidates are found by binning into m = ⌊1/(r + s)⌋ cells per axis and scanning each cell against
/// itself and the forward half of its 3 × 3 (1D: 3) stencil; with m &lt; 3 every pair is a candidate. The filter
/// runs in chunks of rows (<paramref name="passes"/>), each written at its rows' first candidate and moved down in order.
/// </summary>
internal sealed class NeighbourPairs(PassSplit? passes = null)
{
    /// <summary>
    /// The skin relative to the radius: the candidates are (1.5)² ≈ 2.3× the pairs. On the peer workload
    /// (n = 4096, issue 18) the pair search fell from 6.6 % of the run's CPU to ~1 % with it.
    /// </summary>
    public const double SkinFraction = 0.5;

    private int[] _first = new int[1024];
    private int[] _second = new int[1024];
    private int[] _rowStart = []; // candidates of i: _candidate[_rowStart[i] .. _rowStart[i + 1]), ascending
    private int[] _candidate = [];
    private int[] _foundFirst = new int[1024], _foundSecond = new int[1024];
    private int _found;
    private int[] _cellStart = [];
    private int[] _sorted = [];
    private int[] _cellOf = [];
    private double[] _w1 = [], _w2 = [];
    private double[] _reference1 = [], _reference2 = [];
    private double _candidateRadius = double.NaN; // NaN: no reusable candidates
    private double _skin;

    public int Count { get; private set; }

    /// <summary>Searches for candidates done so far (the rest of the builds filtered the last ones).</summary>
    public long Searches { get; private set; }

    public int First(int p) => _first[p];

    public int Second(int p) => _second[p];

    /// <summary>
    /// Makes the list for <paramref name="state"/> with radius <paramref name="radius"/>; with
    /// <paramref name="held"/> (≥ 0 for the particles held on this rank, −1 for ghosts: <see cref="IStageHalo"/>)
    /// only the pairs with a held particle, searched afresh (the particles there change from call to call).
    /// </summary>
    public void Build(ParticleState state, double radius, int[]? held = null)
    {
        int n = state.Count, d = state.Dimension;
        if (_w1.Length != n)
        {
            _w1 = new double[n];
            _w2 = new double[n];
            _candidateRadius = double.NaN;
        }
        for (int i = 0; i < n; i++)
        {
            _w1[i] = Torus.Wrap(state.Positions[0][i]);
            _w2[i] = d == 2 ? Torus.Wrap(state.Positions[1][i]) : 0.0;
        }
        bool reuse = held is null && _candidateRadius == radius * (1 + SkinFraction) && WithinHalfSkin(state);
        if (!reuse)
        {
            Search(state, held is null ? radius * (1 + SkinFraction) : radius, held);
            _candidateRadius = held is null ? radius * (1 + SkinFraction) : double.NaN;
            _skin = radius * SkinFraction;
        }
        Filter(n, radius * radius);
    }

    /// <summary>Keeps the candidates closer than √r2 now, in their (lexicographic) order.</summary>
    private void Filter(int n, double r2)
    {
        if (_first.Length < _rowStart[n])
        {
            _first = new int[_candidate.Length];
            _second = new int[_candidate.Length];
        }
        (_rows, _filterRadius2) = (n, r2);
        int candidates = _rowStart[n];
        if (passes is null || passes.Chunks(candidates) == 1)
        {
            Count = FilterRows(0, n);
            return;
        }
        int chunks = passes.Chunks(candidates);
        if (_chunkKept.Length < chunks)
        {
            _chunkKept = new int[chunks];
        }
        _filterChunk ??= (c, start, end) => _chunkKept[c] = FilterRows(RowAt(start), RowAt(end));
        passes.Run(candidates, _filterChunk);
        int count = 0;
        for (int c = 0; c < chunks; c++)
        {
            int from = _rowStart[RowAt(PassSplit.Start(candidates, chunks, c))], kept = _chunkKept[c];
            Array.Copy(_first, from, _first, count, kept);
            Array.Copy(_second, from, _second, count, kept);
            count += kept;
        }
        Count = count;
    }

    private int _rows;
    private double _filterRadius2;
    private int[] _chunkKept = [];
    private Action<int, int, int>? _filterChunk;

    /// <summary>The first row whose candidates start at or after <paramref name="candidate"/> (n when none).</summary>
    private int RowAt(int candidate)
    {
        int low = 0, high = _rows;
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            if (_rowStart[mid] < candidate)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }
        return low;
    }

    /// <summary>The kept candidates of rows [<paramref name="begin"/>, <paramref name="end"/>), written from the first
    /// row's first candidate on; returns how many.</summary>
    private int FilterRows(int begin, int end)
    {
        double r2 = _filterRadius2;
        int from = _rowStart[begin], count = from;
        for (int i = begin; i < end; i++)
        {
            double x1 = _w1[i], x2 = _w2[i];
            for (int c = _rowStart[i]; c < _rowStart[i + 1]; c++)
            {
                int j = _candidate[c];
                double a = x1 - _w1[j], b = x2 - _w2[j];
                a -= Math.Round(a); // the nearest image, branch-free (the test below is not predictable either)
                b -= Math.Round(b);
                _first[count] = i;
                _second[count] = j;
                count += a * a + b * b < r2 ? 1 : 0;
            }
        }
        return count - from;
    }

    /// <summary>Whether every particle is closer than half the skin to where the candidates were searched.</summary>
    private bool WithinHalfSkin(ParticleState state)
    {
        double limit = 0.25 * _skin * _skin;
        double[] x1 = state.Positions[0];
        double[]? x2 = state.Dimension == 2 ? state.Positions[1] : null;
        for (int i = 0; i < x1.Length; i++)
        {
            double a = Torus.Nearest(x1[i] - _reference1[i]);
            double b = x2 is null ? 0.0 : Torus.Nearest(x2[i] - _reference2[i]);
            if (!(a * a + b * b < limit))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The candidates within <paramref name="radius"/> at the current positions, by row.</summary>
    private void Search(ParticleState state, double radius, int[]? held)
    {
        Searches++;
        int n = state.Count, d = state.Dimension;
        _found = 0;
        double r2 = radius * radius;
        int m = (int)Math.Floor(1.0 / radius);
        if (m < 3)
        {
            for (int i = 0; i < n; i++)
            {
                for (int j = i + 1; j < n; j++)
                {
                    TryAdd(i, j, r2, held);
                }
            }
        }
        else
        {
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
                            TryAdd(_sorted[a], _sorted[b], r2, held);
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
                                TryAdd(_sorted[a], _sorted[b], r2, held);
                            }
                        }
                    }
                }
            }
        }
        SortByRow(n);
        if (_reference1.Length != n)
        {
            _reference1 = new double[n];
            _reference2 = new double[n];
        }
        Array.Copy(state.Positions[0], _reference1, n);
        if (d == 2)
        {
            Array.Copy(state.Positions[1], _reference2, n);
        }
    }

    /// <summary>Adds (min, max) when the nearest-image distance of two wrapped points is below √r2.</summary>
    private void TryAdd(int i, int j, double r2, int[]? held)
    {
        double a = Fold(_w1[i] - _w1[j]);
        double b = Fold(_w2[i] - _w2[j]);
        if (a * a + b * b < r2 && (held is null || held[i] >= 0 || held[j] >= 0))
        {
            if (_found == _foundFirst.Length)
            {
                Array.Resize(ref _foundFirst, 2 * _found);
                Array.Resize(ref _foundSecond, 2 * _found);
            }
            _foundFirst[_found] = Math.Min(i, j);
            _foundSecond[_found] = Math.Max(i, j);
            _found++;
        }
    }

    /// <summary>The found pairs as rows by first particle (a counting sort), each row's partners ascending.</summary>
    private void SortByRow(int n)
    {
        if (_rowStart.Length != n + 1)
        {
            _rowStart = new int[n + 1];
        }
        Array.Clear(_rowStart);
        for (int k = 0; k < _found; k++)
        {
            _rowStart[_foundFirst[k] + 1]++;
        }
        for (int i = 0; i < n; i++)
        {
            _rowStart[i + 1] += _rowStart[i];
        }
        if (_candidate.Length < _found)
        {
            _candidate = new int[Math.Max(_found, 2 * _candidate.Length)];
        }
        var fill = _sorted.Length >= n ? _sorted : new int[n]; // free again: the binning is done
        Array.Copy(_rowStart, fill, n);
        for (int k = 0; k < _found; k++)
        {
            _candidate[fill[_foundFirst[k]]++] = _foundSecond[k];
        }
        // Rows are short (a few neighbours): insertion sort.
        for (int i = 0; i < n; i++)
        {
            for (int c = _rowStart[i] + 1; c < _rowStart[i + 1]; c++)
            {
                int j = _candidate[c], e = c - 1;
                for (; e >= _rowStart[i] && _candidate[e] > j; e--)
                {
                    _candidate[e + 1] = _candidate[e];
                }
                _candidate[e + 1] = j;
            }
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
