using HpcGB.Engine.Forces.NearField;

namespace HpcGB.Engine.Forces.Pme;

/// <summary>
/// Spreading's bands in the near field's cluster layout (<see cref="ClusterGrid"/>), so that the mesh takes its
/// particles in that order instead of sorting them by mesh row itself: the layout's stripes of columns
/// (<see cref="ClusterStripes"/>) are the bands, each particle's slots the real ones of its columns. A particle of
/// column c had c ≤ C x1 &lt; c + 1 when the layout was built (C columns) and has moved at most the layout's half skin
/// since, so its mesh row ⌊M x1⌋ lies within a bound of the column's edges (one row of margin for rounding), and its
/// stencil writes that row and the p − 1 below. Where the stripes of one parity write disjoint rows by these bounds
/// (they are tens of rows wide at n = 10⁶, p = 8), they are the bands; else the whole layout is one band.
/// </summary>
internal sealed class LayoutBands : ISpreadBands
{
    private readonly ClusterGrid _layout;
    private readonly int[] _firstColumn;
    private readonly int[] _lowest; // the first row a band's stencils can write (unwrapped)
    private readonly int _mesh;

    public LayoutBands(ClusterGrid layout, int mesh, int order)
    {
        _layout = layout;
        _mesh = mesh;
        Stripes = layout.Stripes!;
        HalfSkin = layout.HalfSkin;
        int columns = layout.Columns, count = Stripes.Count;
        var lowest = new int[count];
        var end = new int[count];
        for (int band = 0; band < count; band++)
        {
            lowest[band] = LowestRow(Stripes.FirstColumn(band), columns, mesh) - (order - 1);
            end[band] = HighestRow(Stripes.FirstColumn(band + 1), columns, mesh) + 1;
        }
        bool disjoint = count >= 2;
        for (int band = 0; band < count && disjoint; band++)
        {
            int next = band + 2;
            disjoint = next < count ? end[band] <= lowest[next] : end[band] <= lowest[next - count] + mesh;
        }
        if (disjoint)
        {
            _firstColumn = new int[count + 1];
            for (int band = 0; band <= count; band++)
            {
                _firstColumn[band] = Stripes.FirstColumn(band);
            }
            _lowest = lowest;
        }
        else
        {
            _firstColumn = [0, columns];
            _lowest = [0];
        }
    }

    /// <summary>The stripes the bands were cut from (with <see cref="HalfSkin"/>, what decides them).</summary>
    public ClusterStripes Stripes { get; }

    /// <summary>The layout's half skin the bands allow for.</summary>
    public double HalfSkin { get; }

    public int Count => _firstColumn.Length - 1;

    /// <summary>The layout's columns of <paramref name="band"/>: [Begin, End).</summary>
    public (int Begin, int End) Columns(int band) => (_firstColumn[band], _firstColumn[band + 1]);

    /// <summary>
    /// From the band's lowest row up to the next even band's (the last even band: up to band 0's, a period on), so the
    /// rows between, which only the odd band between writes, are cleared too.
    /// </summary>
    public (int Begin, int End) Cleared(int band) => Count == 1
        ? (0, _mesh)
        : (_lowest[band], band + 2 < Count ? _lowest[band + 2] : _lowest[0] + _mesh);

    public int Ranges(int band) => _firstColumn[band + 1] - _firstColumn[band];

    public (int Begin, int End) Slots(int band, int range)
    {
        int column = _firstColumn[band] + range;
        return (_layout.ColumnStart(column), _layout.ParticleEnd(column));
    }

    /// <summary>Whether these bands still fit <paramref name="layout"/> (the same stripes and half skin).</summary>
    public bool Fits(ClusterGrid layout) => ReferenceEquals(layout.Stripes, Stripes) && layout.HalfSkin == HalfSkin;

    /// <summary>The lowest mesh row of a particle of a column ≥ <paramref name="column"/> (x1 ≥ column/C − half skin).</summary>
    private int LowestRow(int column, int columns, int mesh) => (int)Math.Floor(((double)column / columns - HalfSkin) * mesh) - 1;

    /// <summary>The highest mesh row of a particle of a column &lt; <paramref name="column"/> (x1 &lt; column/C + half skin).</summary>
    private int HighestRow(int column, int columns, int mesh) => (int)Math.Floor(((double)column / columns + HalfSkin) * mesh) + 1;
}
