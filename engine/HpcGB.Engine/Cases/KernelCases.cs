using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Kernels;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Cases;

/// <summary>
/// The table of cases: every dimension × kernel × regularisation the engine supports, one row each, with its
/// formulas (docs/numerics.md) and capabilities. The one place that knows which combinations exist; the spec reader,
/// the evaluator factory, the Ewald split, the near field, the implicit integrator and the tests all ask it.
/// </summary>
public static class KernelCases
{
    private const string NoSplit2DPoisson =
        "2D poisson differs from the log kernel by an algebraic tail ≈ −δ/r (docs/numerics.md §2), so it has no exact " +
        "Ewald split and the fast path cannot reach a tolerance; use forces.method \"reference\" (or \"auto\", which does)";

    // The B-spline error constants at p = 8 of the 2D splits, 1.25–1.3× the largest measured (bench/HpcGB.Bench
    // AccuracySweep and FastPathAccuracyTests, 2026-12-07): C ≈ 1.4–1.5e-4 log at n = 10⁵ and 10⁶ (gaussian δ = 1e-4,
    // uniform), 2.4e-4 at n = 400; 5.7–6.2e-4 edge unregularised, 7.6–8.8e-4 edge gaussian at n = 10⁵ and 10⁶.
    private const double SplineErrorLog2D = 3e-4;
    private const double SplineErrorEdge = 1.15e-3;

    // Edge under glide (the x1 velocity alone): C ≈ 1.9–2.4e-4 at p = 8, measured unregularised and uniform at n = 4096
    // (M = 240, 288) and 10⁵ (M = 864, 960, 1024), tolerance 1e-6 (bench/HpcGB.Bench SmallMeshBalance), with a margin of 2–2.5.
    private const double SplineErrorEdgeGlide = 5e-4;

    // The near field's cut at r_c = qw costs an RMS relative velocity error A e^{−q²/2}: measured at n = 10⁵, gaussian
    // δ = 1e-4, mesh 3072 (w·M ≥ 8), q = 3.5 … 6.5: A = 0.072 … 0.034 log (≈ 1/(4q)), 0.41 … 0.80 edge (≈ q/8, its split
    // factor's 1 + q²/2); bench/HpcGB.Bench AccuracySweep q=…. The upper ends of the range at q ≥ 4.
    private const double RealSpaceErrorLog2D = 0.07;
    private const double RealSpaceErrorEdge = 0.8;

    private static readonly ShortRangeFunction LogShortRange =
        ShortRangeFunction.Of(ShortRangeKind.Log, static (sigma, _, cutoff) => new LogShort(sigma, cutoff));

    /// <summary>Every case, 1D first.</summary>
    public static IReadOnlyList<KernelCase> All { get; } =
    [
        new()
        {
            Dimension = 1, Kernel = KernelType.Log, Regularization = RegularizationType.None,
            ExactKernel = static _ => new LogKernel1D(),
            BareCoefficient = FourierCoefficients.Log1D, RegularizationFactor = FourierCoefficients.Unregularised,
            Split = new(LogShortRange, SplitTerms.Erfc1D, SplitTerms.Log1D, SplitWidth.Sigma, DropsAlgebraicTail: false),
            NewtonCore = null,
        },
        new()
        {
            Dimension = 1, Kernel = KernelType.Log, Regularization = RegularizationType.Gaussian,
            ExactKernel = static delta => new GaussianLogKernel1D(delta),
            BareCoefficient = FourierCoefficients.Log1D, RegularizationFactor = FourierCoefficients.Gaussian,
            Split = new(
                ShortRangeFunction.Of(ShortRangeKind.GaussianLog1D, static (sigma, delta, cutoff) => new GaussianLogShort1D(sigma, delta, cutoff)),
                SplitTerms.Erfc1D, SplitTerms.Log1D, SplitWidth.Sigma, DropsAlgebraicTail: true),
            NewtonCore = null,
        },
        new()
        {
            Dimension = 1, Kernel = KernelType.Log, Regularization = RegularizationType.Poisson,
            ExactKernel = static delta => new PoissonLogKernel1D(delta),
            BareCoefficient = FourierCoefficients.Log1D, RegularizationFactor = FourierCoefficients.Poisson,
            Split = new(
                ShortRangeFunction.Of(ShortRangeKind.PoissonLog1D, static (sigma, delta, cutoff) => new PoissonLogShort1D(sigma, delta, cutoff)),
                SplitTerms.Erfc1D, SplitTerms.PoissonLog1D, SplitWidth.Sigma, DropsAlgebraicTail: true),
            NewtonCore = null,
        },
        new()
        {
            Dimension = 2, Kernel = KernelType.Log, Regularization = RegularizationType.None,
            ExactKernel = static _ => new LogKernel2D(),
            BareCoefficient = FourierCoefficients.Log2D, RegularizationFactor = FourierCoefficients.Unregularised,
            Split = new(LogShortRange, SplitTerms.Gaussian, SplitTerms.Log2D, SplitWidth.Sigma, DropsAlgebraicTail: false,
                RealSpaceErrorConstant: RealSpaceErrorLog2D, SplineErrorConstant: SplineErrorLog2D),
            NewtonCore = static delta => FreeSpaceCore.Log(RegularizationType.None, delta),
        },
        new()
        {
            Dimension = 2, Kernel = KernelType.Log, Regularization = RegularizationType.Gaussian,
            ExactKernel = static delta => new GaussianLogKernel2D(delta),
            BareCoefficient = FourierCoefficients.Log2D, RegularizationFactor = FourierCoefficients.Gaussian,
            Split = new(
                ShortRangeFunction.Of(ShortRangeKind.GaussianLog, static (sigma, delta, cutoff) => new GaussianLogShort(sigma, delta, cutoff)),
                SplitTerms.GaussianCombined, SplitTerms.Log2D, SplitWidth.CombinedWithCore, DropsAlgebraicTail: false,
                RealSpaceErrorConstant: RealSpaceErrorLog2D, SplineErrorConstant: SplineErrorLog2D),
            NewtonCore = static delta => FreeSpaceCore.Log(RegularizationType.Gaussian, delta),
        },
        new()
        {
            Dimension = 2, Kernel = KernelType.Log, Regularization = RegularizationType.Poisson,
            ExactKernel = null,
            BareCoefficient = FourierCoefficients.Log2D, RegularizationFactor = FourierCoefficients.Poisson,
            Split = null, NoSplitReason = NoSplit2DPoisson,
            NewtonCore = static delta => FreeSpaceCore.Log(RegularizationType.Poisson, delta),
            NewtonRemainderOf = RegularizationType.None,
        },
        new()
        {
            Dimension = 2, Kernel = KernelType.Edge, Regularization = RegularizationType.None,
            ExactKernel = static _ => new EdgeKernel(),
            BareCoefficient = FourierCoefficients.Edge, RegularizationFactor = FourierCoefficients.Unregularised,
            Split = new(
                ShortRangeFunction.Of(ShortRangeKind.Edge, static (sigma, _, cutoff) => new EdgeShort(sigma, cutoff)),
                SplitTerms.Edge, SplitTerms.None, SplitWidth.Sigma, DropsAlgebraicTail: false, ReachFactor: 1.15,
                RealSpaceErrorConstant: RealSpaceErrorEdge, SplineErrorConstant: SplineErrorEdge, GlideSplineErrorConstant: SplineErrorEdgeGlide),
            NewtonCore = static delta => FreeSpaceCore.Edge(RegularizationType.None, delta),
        },
        new()
        {
            Dimension = 2, Kernel = KernelType.Edge, Regularization = RegularizationType.Gaussian,
            ExactKernel = static delta => new GaussianEdgeKernel(delta),
            BareCoefficient = FourierCoefficients.Edge, RegularizationFactor = FourierCoefficients.ModifiedGaussian,
            Split = new(
                ShortRangeFunction.Of(ShortRangeKind.GaussianEdge, static (sigma, delta, cutoff) => new GaussianEdgeShort(sigma, delta, cutoff)),
                SplitTerms.Edge, SplitTerms.None, SplitWidth.AboveCore, DropsAlgebraicTail: false, ReachFactor: 1.15,
                RealSpaceErrorConstant: RealSpaceErrorEdge, SplineErrorConstant: SplineErrorEdge, GlideSplineErrorConstant: SplineErrorEdgeGlide),
            NewtonCore = static delta => FreeSpaceCore.Edge(RegularizationType.Gaussian, delta),
        },
        new()
        {
            Dimension = 2, Kernel = KernelType.Edge, Regularization = RegularizationType.Poisson,
            ExactKernel = null,
            BareCoefficient = FourierCoefficients.Edge, RegularizationFactor = FourierCoefficients.Poisson,
            Split = null, NoSplitReason = NoSplit2DPoisson,
            NewtonCore = static delta => FreeSpaceCore.Edge(RegularizationType.Poisson, delta),
            NewtonRemainderOf = RegularizationType.None,
        },
    ];

    /// <summary>The case of these three, or null where the combination does not exist.</summary>
    public static KernelCase? Find(int dimension, KernelType kernel, RegularizationType regularization) =>
        All.FirstOrDefault(c => c.Dimension == dimension && c.Kernel == kernel && c.Regularization == regularization);

    /// <summary>The case of these three.</summary>
    /// <exception cref="NotSupportedException">The combination does not exist.</exception>
    public static KernelCase For(int dimension, KernelType kernel, RegularizationType regularization) =>
        Find(dimension, kernel, regularization) ?? throw new NotSupportedException(
            $"no case for dimension {dimension}, kernel {kernel}, regularization {regularization}");

    /// <summary>The case of a model.</summary>
    public static KernelCase For(SystemModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return For(model.Dimension, model.Kernel, model.Regularization.Type);
    }

    /// <summary>The dimensions in which <paramref name="kernel"/> exists.</summary>
    public static IReadOnlyList<int> Dimensions(KernelType kernel) =>
        All.Where(c => c.Kernel == kernel).Select(c => c.Dimension).Distinct().Order().ToArray();

    /// <summary>The cases whose near field is <paramref name="kind"/>, in any dimension.</summary>
    public static IEnumerable<KernelCase> WithShortRange(ShortRangeKind kind) =>
        All.Where(c => c.Split?.ShortRange.Kind == kind);
}
