namespace HpcGB.Engine.Continuum;

/// <summary>
/// The regular periodic grid of T^d the continuum lives on: M cells in 1D, M1 × M2 in 2D. Cell (i) or (i, j)
/// covers [i/M1, (i+1)/M1) × [j/M2, (j+1)/M2); values are row-major with x1 slowest, as in
/// <see cref="Spec.DensityGrid"/> and the FFT meshes. Face i+½ of axis a sits at x_a = (i+1)/M_a.
/// </summary>
public sealed class ContinuumGrid
{
    public ContinuumGrid(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length is not (1 or 2) || shape.Any(m => m < 4))
        {
            throw new ArgumentException("a continuum grid is [M] or [M1, M2] with every M ≥ 4", nameof(shape));
        }
        Shape = (int[])shape.Clone();
    }

    public int[] Shape { get; }

    public int Dimension => Shape.Length;

    /// <summary>Cells along x1.</summary>
    public int M1 => Shape[0];

    /// <summary>Cells along x2 (1 in 1D).</summary>
    public int M2 => Dimension == 2 ? Shape[1] : 1;

    public int CellCount => M1 * M2;

    /// <summary>h_a = 1/M_a.</summary>
    public double Width(int axis) => 1.0 / Shape[axis];

    /// <summary>The cell volume h1·h2 (h in 1D): ∫ f = CellVolume · Σ_cells f.</summary>
    public double CellVolume => 1.0 / CellCount;

    /// <summary>The centre coordinate of cell <paramref name="index"/> along <paramref name="axis"/>.</summary>
    public double Centre(int axis, int index) => (index + 0.5) / Shape[axis];

    /// <summary>Index offset between neighbours along an axis (M2 along x1, 1 along x2).</summary>
    public int Stride(int axis) => axis == 0 ? M2 : 1;

    /// <summary>Lines along an axis: each is (first cell, stride) with <see cref="Shape"/>[axis] cells.</summary>
    public int LineCount(int axis) => CellCount / Shape[axis];

    /// <summary>The first cell of line <paramref name="line"/> along <paramref name="axis"/>.</summary>
    public int LineStart(int axis, int line) => axis == 0 ? line : line * M2;

    /// <summary>∫ f over the torus for cell averages f.</summary>
    public double Integrate(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (double v in values)
        {
            sum += v;
        }
        return sum * CellVolume;
    }
}
