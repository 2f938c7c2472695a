using HpcGB.Engine.Cases;
using HpcGB.Engine.Forces.Pme;
using HpcGB.Engine.Model;
using HpcGB.Interop.Fftw;

namespace HpcGB.Engine.Forces.Ewald;

/// <summary>
/// Chooses σ, r_c, M and p from one tolerance (docs/numerics.md §4): r_c = qσ and K = q/(2πσ) with the reach q
/// (<see cref="Reach"/>) that keeps the near field's cut within a quarter of the tolerance; σ so that each particle has about <see cref="Neighbours"/> neighbours
/// within r_c (σ ∝ n^{−1/d}: O(n) near field, mesh M ∝ 1/σ: O(n log n) overall), or in 2D
/// <see cref="NeighboursSmallMesh"/> where the mesh that needs stays below <see cref="ParticleMeshEwald.ThreadedMeshPoints"/>; M the smallest FFT-friendly
/// size (<see cref="IsFftFriendly"/>) with M ≥ <see cref="MeshPerWaveNumber"/>·K and large enough for the B-spline
/// interpolation error within half the tolerance (the split's <see cref="EwaldSplitRule.SplineErrorConstantFor"/> the mobility at p = 8),
/// then σ and r_c narrowed to the width that M still meets both bounds for (the rounding up's margin shortens the cut-off);
/// p = 8 below tolerance 1e-5, else 6 (always 8 when the whole kernel lives on the mesh); in 2D the band of the
/// spectrum the mesh keeps (<see cref="BandColumns"/>).
/// </summary>
public static class EwaldParameterChooser
{
    /// <summary>Target neighbours within r_c (2D), balancing near-field pairs against mesh size.</summary>
    public const double Neighbours = 100;

    /// <summary>
    /// Target neighbours within r_c (2D) where the mesh for them stays below <see cref="ParticleMeshEwald.ThreadedMeshPoints"/>
    /// (small n): such a mesh sits in cache and runs beside the near field (<see cref="EwaldEvaluator"/>), so a
    /// larger one costs less than the pairs it saves (measured at n = 4096, tol 1e-6, with energy, 2 threads: edge
    /// 1.9–2.2 ms against 3.0 ms with 100 neighbours, log 2.2 against 2.7 ms; bench smallmesh). The OpenCL evaluator
    /// takes the same parameters.
    /// </summary>
    public const double NeighboursSmallMesh = 50;

    /// <summary>Target neighbours within r_c (1D).</summary>
    public const double Neighbours1D = 16;

    /// <summary>Mesh points per unit of the Fourier cut-off K (M ≥ this × K).</summary>
    public const double MeshPerWaveNumber = 2.0;

    /// <summary>
    /// B-spline interpolation error ≈ C (wM)^{−p} relative to the RMS velocity, w the width at which L̂ decays
    /// (measured: C ≈ 1.6e-4 log, 1e-3 edge, 2e-3 1D gaussian at p = 8; 6e-4 log, 3e-3 edge, 4e-3 at p = 6); the mesh
    /// keeps it below its share of the tolerance (<see cref="SplineFraction"/>). This generic bound holds at p = 6 and for the splits without a
    /// measured constant of their own (<see cref="EwaldSplitRule.SplineErrorConstant"/>).
    /// </summary>
    public const double SplineErrorConstant = 5e-3;

    /// <summary>
    /// The share of the tolerance the near field's cut at r_c may cost: the split's reach q solves
    /// A e^{−q²/2} = this × tol (<see cref="Reach"/>); the B-spline error takes <see cref="SplineFraction"/>.
    /// </summary>
    public const double RealSpaceFraction = 0.25;

    /// <summary>
    /// The generic A in the near field's error A e^{−q²/2} (<see cref="EwaldSplitRule.RealSpaceErrorConstant"/>), for
    /// the splits without a measured one (1D): with <see cref="RealSpaceFraction"/> it gives q = √(2 ln(1/tol)), whose
    /// 1D errors are measured at a tenth of the tolerance or less (FastPathAccuracyTests).
    /// </summary>
    public const double RealSpaceErrorConstant = RealSpaceFraction;

    /// <summary>The share of the tolerance the B-spline interpolation error of a split's mesh may cost (<see cref="MeshSize"/>).</summary>
    public const double SplineFraction = 0.5;

    /// <summary>
    /// The same where the whole kernel lives on the mesh: its cut at K and its B-spline error share the tolerance, as
    /// designed before the split's margins were measured (1D mesh-only errors up to 0.4 tol at 1e-10).
    /// </summary>
    private const double MeshOnlySplineFraction = 1.0 / 3;

    /// <summary>The largest odd factor of a mesh size (<see cref="IsFftFriendly"/>).</summary>
    private const int MaxOddFactor = 35;

    /// <summary>
    /// The largest mesh size that may be a power of two (<see cref="IsFftFriendly"/>): beyond it the band transform
    /// (forward + inverse, one thread, estimate, 2026-12-07) took 52–54 ms at 2048 against 41–42 at 2240 and 44–47 at
    /// 2304, and 222 ms at 4096 against 190–199 at 3840; up to 1024 it is the fastest size near it (8–9 ms against 11–13
    /// at 1080 and 1120).
    /// </summary>
    private const int MaxPowerOfTwo = 1024;

    /// <summary>The same for the poisson spectrum e^{−2πδ|k|}, whose kernel is smooth only on the scale δ/(2π)·….</summary>
    private const double PoissonSplineErrorConstant = 3.0;

    /// <summary>
    /// The 1D gaussian/poisson split drops a tail of relative size δ²/r_c² (<see cref="EwaldSplit.TruncatedTail"/>);
    /// it is used only where that is below this fraction of the tolerance, the mesh alone otherwise (measured: the
    /// velocity error is about half the dropped tail, uniform and clustered, so the tail costs ≤ 5% of the tolerance).
    /// </summary>
    public const double TruncatedTailFraction = 0.1;

    /// <summary>
    /// The band-limited mesh drops the modes whose long-range factor F is below this fraction of the tolerance
    /// (<see cref="BandColumns"/>).
    /// </summary>
    public const double BandFraction = 1e-2;

    /// <summary>Mesh-only kernels are 1D or have small meshes: the highest order costs little there.</summary>
    private const int BSplineOrderForMeshOnly = 8;

    /// <param name="maxMeshPoints">The largest mesh accepted (a distributed run, whose ranks each hold a slab of it,
    /// accepts <see cref="EwaldParameters.MaxMeshPoints"/> per rank).</param>
    /// <remarks>One rule for every evaluator (CPU, OpenCL, distributed), so that the device and the CPU split the sum
    /// alike for the same spec.</remarks>
    /// <exception cref="NotSupportedException">The case has no fast path, or its mesh would exceed <paramref name="maxMeshPoints"/>.</exception>
    public static EwaldParameters Choose(SystemModel model, int n, double tolerance, long maxMeshPoints = EwaldParameters.MaxMeshPoints)
    {
        var kase = KernelCases.For(model);
        var rule = kase.Split ?? throw new NotSupportedException(kase.FastPath.Reason);
        if (model.Dimension == 2
            && Choose(model, rule, n, tolerance, NeighboursSmallMesh, ParticleMeshEwald.ThreadedMeshPoints - 1, refuse: false) is { MeshOnly: false } small)
        {
            return small;
        }
        return Choose(model, rule, n, tolerance, model.Dimension == 2 ? Neighbours : Neighbours1D, maxMeshPoints, refuse: true)!;
    }

    /// <summary>
    /// The parameters for about <paramref name="neighbours"/> neighbours within r_c; where the mesh would exceed
    /// <paramref name="maxMeshPoints"/>, null, or with <paramref name="refuse"/> a <see cref="NotSupportedException"/>.
    /// </summary>
    private static EwaldParameters? Choose(SystemModel model, EwaldSplitRule rule, int n, double tolerance, double neighbours,
        long maxMeshPoints, bool refuse)
    {
        double q = Reach(rule, tolerance);
        int order = tolerance < 1e-5 ? 8 : 6;
        double cutoff = model.Dimension == 2
            ? Math.Sqrt(neighbours / (Math.PI * Math.Max(n, 1)))
            : neighbours / (2.0 * Math.Max(n, 1));
        // r_c ≤ ½ (a handful of particles: the box, not the neighbours, bounds the near field).
        bool boxBound = cutoff >= 0.5;
        cutoff = Math.Min(cutoff, 0.5);
        double width = cutoff / q; // the width at which the short part must have decayed by r_c
        double delta = model.Regularization.Delta;

        bool meshOnly = rule.TruncatedTail(delta, cutoff) > TruncatedTailFraction * tolerance
            || (rule.CoreLimitsSigma && delta >= SplitWidths.MaxCoreFraction * width);
        if (meshOnly)
        {
            // L̂ = V̂_δ decays like e^{−2π²δ²k²} (gaussian) or e^{−2πδ|k|} (poisson).
            order = BSplineOrderForMeshOnly;
            bool poisson = model.Regularization.Type == RegularizationType.Poisson;
            double k = poisson
                ? Math.Log(1 / tolerance) / (2 * Math.PI * delta)
                : rule.ReachFactor * Math.Sqrt(2 * Math.Log(1 / tolerance)) / (2 * Math.PI * delta);
            double constant = poisson ? PoissonSplineErrorConstant : SplineErrorConstant;
            return MeshSize(k, delta, constant, MeshOnlySplineFraction * tolerance, order, model.Dimension, maxMeshPoints, refuse) is { } meshOnlySize
                ? new EwaldParameters(0, 0, meshOnlySize, order, tolerance, true)
                : null;
        }
        // The short part decays at the width w (2D gaussian log: S = √(σ² + δ²) = w), and L̂ with it.
        double splineConstant = order == 8 ? rule.SplineErrorConstantFor(model.Mobility) : SplineErrorConstant;
        double splineError = SplineFraction * tolerance;
        if (MeshSize(q / (2 * Math.PI * width), width, splineConstant, splineError, order, model.Dimension, maxMeshPoints, refuse) is not { } mesh)
        {
            return null;
        }
        // M was rounded up to an FFT-friendly size, so it resolves a narrower width than w: the narrowest it meets
        // both bounds for shortens r_c (fewer pairs, the same mesh), where the neighbours set r_c and the core and the
        // dropped tail allow it (a box-bound split, a handful of particles, keeps the margin: n = 6 at δ = w/2 lost the tolerance with it).
        double narrowest = Math.Max(MeshPerWaveNumber * q / (2 * Math.PI * mesh), SplineWidthTimesMesh(splineConstant, splineError, order) / mesh);
        if (!boxBound && narrowest < width && !(rule.TruncatedTail(delta, q * narrowest) > TruncatedTailFraction * tolerance
            || (rule.CoreLimitsSigma && delta >= SplitWidths.MaxCoreFraction * narrowest)))
        {
            width = narrowest;
            cutoff = q * narrowest;
        }
        double sigma = rule.SigmaFor(width, delta);
        return new EwaldParameters(sigma, cutoff, mesh, order, tolerance, false,
            model.Dimension == 2 ? BandColumns(rule, sigma, delta, tolerance, mesh) : null);
    }

    /// <summary>
    /// q = r_c/w = 2πwK, the split's reach in decay widths at <paramref name="tolerance"/>: the q at which the near
    /// field's cut costs A e^{−q²/2} = <see cref="RealSpaceFraction"/>·tol (A the split's
    /// <see cref="EwaldSplitRule.RealSpaceErrorConstant"/>).
    /// </summary>
    public static double Reach(EwaldSplitRule rule, double tolerance) =>
        Math.Sqrt(2 * Math.Log(rule.RealSpaceErrorConstant / (RealSpaceFraction * tolerance)));

    /// <summary>
    /// The columns 0 … C − 1 of the r2c half spectrum (last-axis frequencies |k2| &lt; C) that a 2D mesh of M points
    /// per axis keeps, or null for all M/2 + 1. C is the first |k2| at which the split's long-range factor
    /// F(σ, δ, |k|²) (L̂_k = V̂_k F) falls to <see cref="BandFraction"/>·tol, rounded up to whole blocks of
    /// <see cref="BandLimitedFft.ColumnBlock"/>: F decreases in |k|, so every dropped mode (|k| ≥ |k2| ≥ C) has
    /// |L̂_k| ≤ BandFraction·tol·|V̂_k|, a hundredth or less of what the mesh rule lets the modes beyond its cut-off
    /// K keep (F(K) ≥ tol). About 1.15–1.3 K at tolerance 1e-6, 1.1–1.2 K at 1e-10; the mesh has M/2 ≥ K.
    /// </summary>
    public static int? BandColumns(EwaldSplitRule rule, double sigma, double delta, double tolerance, int mesh)
    {
        int half = mesh / 2 + 1;
        int columns = 0;
        while (columns < half && rule.LongFactor(sigma, delta, (double)columns * columns) > BandFraction * tolerance)
        {
            columns++;
        }
        columns = (columns + BandLimitedFft.ColumnBlock - 1) / BandLimitedFft.ColumnBlock * BandLimitedFft.ColumnBlock;
        return columns < half ? columns : null;
    }

    /// <summary>
    /// The mesh size per axis: the smallest FFT-friendly M ≥ max(MeshPerWaveNumber·K, (C/e)^{1/p}/w, 2p)
    /// (a size that resolves the wave-number cut-off K and keeps the B-spline interpolation error
    /// C (wM)^{−p} below <paramref name="splineError"/> = e); where M^d exceeds <paramref name="maxMeshPoints"/>, null, or with
    /// <paramref name="refuse"/> a <see cref="NotSupportedException"/>.
    /// </summary>
    private static int? MeshSize(double k, double width, double constant, double splineError, int order, int dimension, long maxMeshPoints, bool refuse)
    {
        double spline = SplineWidthTimesMesh(constant, splineError, order) / width;
        double wanted = Math.Max(Math.Max(MeshPerWaveNumber * k, spline), 2 * order);
        if (Math.Pow(wanted, dimension) <= maxMeshPoints)
        {
            int m = (int)Math.Ceiling(wanted);
            while (!IsFftFriendly(m))
            {
                m++;
            }
            if (Math.Pow(m, dimension) <= maxMeshPoints)
            {
                return m;
            }
        }
        return refuse ? throw new NotSupportedException(
            $"the fast path would need a {Math.Ceiling(wanted)}^{dimension} mesh for this δ and tolerance (limit {maxMeshPoints} points); use forces.method \"reference\" or a larger δ/tolerance")
            : null;
    }

    /// <summary>The w·M at which the B-spline interpolation error C (wM)^{−p} is <paramref name="splineError"/>.</summary>
    private static double SplineWidthTimesMesh(double constant, double splineError, int order) => Math.Pow(constant / splineError, 1.0 / order);

    /// <summary>
    /// Even, M = 2^a·c with an odd c = 3^b 5^c 7^d ≤ <see cref="MaxOddFactor"/>: sizes that FFTW's estimated plans
    /// transform fast (measured on 2D r2c + c2r at M ≈ 2000–3600: 0.20–0.26 ns per point·log₂ points for odd parts
    /// 3–35, 0.30–0.36 for 45, 135, 225, 405 and 1575; bench/HpcGB.Bench FftSizes). Not a power of two beyond
    /// <see cref="MaxPowerOfTwo"/>, whose strides alias in the caches.
    /// </summary>
    private static bool IsFftFriendly(int m)
    {
        if (m % 2 != 0 || (m > MaxPowerOfTwo && (m & (m - 1)) == 0))
        {
            return false;
        }
        while (m % 2 == 0)
        {
            m /= 2;
        }
        if (m > MaxOddFactor)
        {
            return false;
        }
        foreach (int p in new[] { 3, 5, 7 })
        {
            while (m % p == 0)
            {
                m /= p;
            }
        }
        return m == 1;
    }
}
