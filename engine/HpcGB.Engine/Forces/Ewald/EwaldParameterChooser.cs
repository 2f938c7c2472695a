using HpcGB.Engine.Model;

namespace HpcGB.Engine.Forces.Ewald;

/// <summary>
/// Chooses σ, r_c, M and p from one tolerance (NUMERICS.md §4): r_c = qσ and K = q/(2πσ) with
/// q = √(2 ln(1/tol)) (edge: 1.15 q); σ so that each particle has about <see cref="Neighbours"/> neighbours
/// within r_c (σ ∝ n^{−1/d}: O(n) near field, mesh M ∝ 1/σ: O(n log n) overall); M the smallest FFT-friendly
/// size with M ≥ <see cref="MeshPerWaveNumber"/>·K; p = 8 below tolerance 1e-5, else 6.
/// </summary>
public static class EwaldParameterChooser
{
    /// <summary>Target neighbours within r_c (2D), balancing near-field pairs against mesh size.</summary>
    public const double Neighbours = 40;

    /// <summary>Target neighbours within r_c (1D).</summary>
    public const double Neighbours1D = 16;

    /// <summary>Mesh points per unit of the Fourier cut-off K (M ≥ this × K), calibrated by the accuracy tests.</summary>
    public const double MeshPerWaveNumber = 2.0;

    public static EwaldParameters Choose(SystemModel model, int n, double tolerance)
    {
        double q = Math.Sqrt(2 * Math.Log(1 / tolerance));
        if (model.Kernel == KernelType.Edge)
        {
            q *= 1.15;
        }
        int order = tolerance < 1e-5 ? 8 : 6;
        double cutoff = model.Dimension == 2
            ? Math.Sqrt(Neighbours / (Math.PI * Math.Max(n, 1)))
            : Neighbours1D / (2.0 * Math.Max(n, 1));
        cutoff = Math.Min(cutoff, 0.5);
        double width = cutoff / q; // the width at which the short part must have decayed by r_c
        double delta = model.Regularization.Delta;
        var type = model.Regularization.Type;

        bool meshOnly = EwaldSplit.RequiresMeshOnly(model) || (type == RegularizationType.Gaussian && delta >= 0.9 * width);
        if (meshOnly)
        {
            // L̂ = V̂_δ decays like e^{−2π²δ²k²} (gaussian) or e^{−2πδ|k|} (poisson).
            double k = type == RegularizationType.Poisson
                ? Math.Log(1 / tolerance) / (2 * Math.PI * delta)
                : q / (2 * Math.PI * delta);
            return new EwaldParameters(0, 0, MeshSize(k, order, model.Dimension), order, tolerance, true);
        }
        // Gaussian log: the short part has widths S = √(σ² + δ²) and δ, so S plays the role of the width.
        double sigma = model.Kernel == KernelType.Log && type == RegularizationType.Gaussian
            ? Math.Sqrt(width * width - delta * delta)
            : width;
        double longWidth = model.Kernel == KernelType.Log && type == RegularizationType.Gaussian ? width : sigma;
        int mesh = MeshSize(q / (2 * Math.PI * longWidth), order, model.Dimension);
        return new EwaldParameters(sigma, cutoff, mesh, order, tolerance, false);
    }

    /// <summary>The smallest 2^a 3^b 5^c ≥ max(MeshPerWaveNumber·K, 2p), checked against the memory limit.</summary>
    private static int MeshSize(double k, int order, int dimension)
    {
        double wanted = Math.Max(MeshPerWaveNumber * k, 2 * order);
        double points = Math.Pow(wanted, dimension);
        if (points > EwaldParameters.MaxMeshPoints)
        {
            throw new NotSupportedException(
                $"the fast path would need a {Math.Ceiling(wanted)}^{dimension} mesh for this δ and tolerance (limit {EwaldParameters.MaxMeshPoints} points); use forces.method \"reference\" or a larger δ/tolerance");
        }
        int m = (int)Math.Ceiling(wanted);
        while (!IsSmooth(m))
        {
            m++;
        }
        return m;
    }

    private static bool IsSmooth(int m)
    {
        if (m % 2 != 0)
        {
            return false;
        }
        foreach (int p in new[] { 2, 3, 5 })
        {
            while (m % p == 0)
            {
                m /= p;
            }
        }
        return m == 1;
    }
}
