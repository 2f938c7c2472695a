using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Kernels;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Cases;

/// <summary>
/// One case (dimension × kernel × regularisation) and everything the engine needs of it: the exact periodic pair
/// kernel, the Fourier coefficients, the Ewald split, the implicit integrator's Newton core and the capabilities.
/// Every case is one row of <see cref="KernelCases"/>; nothing else decides which combinations exist.
/// </summary>
public sealed class KernelCase
{
    public required int Dimension { get; init; }

    public required KernelType Kernel { get; init; }

    public required RegularizationType Regularization { get; init; }

    /// <summary>V_δ in closed form (wall sums) at core length δ; null where none exists (2D poisson: Fourier sums).</summary>
    public required Func<double, IPairKernel>? ExactKernel { get; init; }

    /// <summary>V̂_k of the unregularised kernel at (k1, k2).</summary>
    public required Func<int, int, double> BareCoefficient { get; init; }

    /// <summary>The regularisation's factor at (δ, |k|²): V̂_δ,k = V̂_k × factor.</summary>
    public required Func<double, double, double> RegularizationFactor { get; init; }

    /// <summary>The exact Ewald split, or null where none exists (then <see cref="NoSplitReason"/> says why).</summary>
    public required EwaldSplitRule? Split { get; init; }

    /// <summary>Why the case has no fast path (null where it has one).</summary>
    public string? NoSplitReason { get; init; }

    /// <summary>The free-space core the Newton matrix differentiates (2D), or null where it differentiates the exact kernel (1D).</summary>
    public required Func<double, FreeSpaceCore>? NewtonCore { get; init; }

    /// <summary>
    /// The regularisation of the case whose exact kernel minus its core gives the Newton matrix's constant remainder
    /// Hessian, where that is not this case (2D poisson, no closed form: none, exact to O(δ)).
    /// </summary>
    public RegularizationType? NewtonRemainderOf { get; init; }

    /// <summary>Whether the OpenCL force evaluator serves the case: wherever the fast path does (it runs every short-range kind and the mesh).</summary>
    public Capability OpenCl => FastPath.Supported
        ? Capability.Yes
        : Capability.No($"the OpenCL backend runs the fast path only, and {FastPath.Reason}");

    /// <summary>"2D log gaussian", in the spec's spelling.</summary>
    public string Name => $"{Dimension}D {Kernel.ToString().ToLowerInvariant()} {Regularization.ToString().ToLowerInvariant()}";

    /// <summary>True where V_δ(0) is finite: the self term is included and particles may coincide.</summary>
    public bool IsRegularised => Regularization != RegularizationType.None;

    /// <summary>The reference evaluator: closed-form pair sums where <see cref="ExactKernel"/> exists, Fourier sums otherwise.</summary>
    public ReferenceMethod Reference => ExactKernel is null ? ReferenceMethod.FourierSeries : ReferenceMethod.PairSum;

    /// <summary>The fast path (near field + PME): yes where an exact split exists.</summary>
    public Capability FastPath => Split is null
        ? Capability.No(NoSplitReason ?? $"{Name} has no exact Ewald split")
        : Capability.Yes;

    /// <summary>The implicit integrator: needs a Newton matrix, i.e. a closed-form kernel or core plus remainder.</summary>
    public Capability Implicit => (NewtonCore is not null || Dimension == 1) && NewtonRemainderCase.ExactKernel is not null
        ? Capability.Yes
        : Capability.No($"{Name} has no closed-form pair kernel or free-space core for the Newton matrix");

    /// <summary>The length below which the core acts: δ for the regularised kernels, 0 for none.</summary>
    public double CoreLength(double delta) => IsRegularised ? delta : 0.0;

    /// <summary>The exact periodic kernel at core length δ.</summary>
    /// <exception cref="NotSupportedException">The case has no closed form (<see cref="Reference"/> is Fourier sums).</exception>
    public IPairKernel PairKernel(double delta) => ExactKernel?.Invoke(delta)
        ?? throw new NotSupportedException($"{Name} has no closed-form pair kernel (its reference is the Fourier series)");

    /// <summary>V̂_δ,k at (k1, k2) (k2 = 0 in 1D); V̂_0 = 0.</summary>
    public double Coefficient(double delta, int k1, int k2)
    {
        if (k1 == 0 && k2 == 0)
        {
            return 0.0;
        }
        return BareCoefficient(k1, k2) * RegularizationFactor(delta, FourierCoefficients.Norm2(k1, k2));
    }

    /// <summary>The case whose exact kernel and core give the Newton matrix's remainder (this one where it has a closed form).</summary>
    public KernelCase NewtonRemainderCase =>
        NewtonRemainderOf is { } regularization ? KernelCases.For(Dimension, Kernel, regularization) : this;

    public override string ToString() => Name;
}

/// <summary>How the reference evaluator sums a case.</summary>
public enum ReferenceMethod
{
    /// <summary>The O(n²) double loop over the closed-form periodic kernel.</summary>
    PairSum,

    /// <summary>Direct Fourier sums (O(n K^d), K ~ 6.7/δ).</summary>
    FourierSeries,
}
