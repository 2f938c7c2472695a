using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Kernels;
using HpcGB.Engine.Model;
using HpcGB.Engine.Numerics;

namespace HpcGB.Engine.Forces.Ewald;

/// <summary>
/// The exact Ewald decomposition of one kernel × regularisation (NUMERICS.md §4):
/// V_δ(x) = Σ_images short(x + n) + Σ_{k≠0} L̂_k e^{2πik·x} + C.
/// The 1D log kernel splits exactly with erfc: V = Σ_images ½E1(|x+n|²/2σ²) + Σ_k V̂_k erfc(√2 πσ|k|) e^{2πikx} − √(2π) σ
/// (the Fourier transform of ½E1(x²/2σ²) is erf(√2 πσ|k|)/(2|k|)).
/// <para>
/// 1D gaussian and poisson: V_δ = V + Σ_images h(x + n) + c_h exactly, with h the free-space regularisation of −ln|x|
/// (gaussian: h = ln|x| − ln δ − ℓ(x/δ); poisson: h = ln|x| − ½ln(x² + δ²)): both sides have the Fourier
/// coefficients (V̂_δ,k − V̂_k) for k ≠ 0, and c_h = −∫h (πδ for poisson, 0 for gaussian). So the short part is
/// ½E1(x²/2σ²) + h, the long part that of the unregularised kernel. h decays only like ∓δ²/2x², and the near
/// field drops it beyond r_c: a relative error of about δ²/r_c² (<see cref="TruncatedTail"/>), which the
/// parameter chooser keeps far below the tolerance; elsewhere the whole kernel lives on the mesh (<see cref="MeshOnly"/>).
/// </para>
/// </summary>
public sealed class EwaldSplit
{
    private EwaldSplit(SystemModel model, ShortRangeKind? kind, double sigma, double longWidth, Func<int, int, double> multiplier, double constant, double shortSelf)
    {
        Model = model;
        Kind = kind;
        Sigma = sigma;
        LongWidth = longWidth;
        Multiplier = multiplier;
        Constant = constant;
        ShortSelf = shortSelf;
    }

    public SystemModel Model { get; }

    /// <summary>The near-field function, or null when the whole kernel lives on the mesh.</summary>
    public ShortRangeKind? Kind { get; }

    /// <summary>The split width σ (0 when there is no short-range part).</summary>
    public double Sigma { get; }

    /// <summary>The Gaussian width at which L̂ decays (σ, √(σ² + δ²) or δ): sets the mesh.</summary>
    public double LongWidth { get; }

    /// <summary>L̂ at the signed frequency (f1, f2).</summary>
    public Func<int, int, double> Multiplier { get; }

    /// <summary>The constant C of the decomposition.</summary>
    public double Constant { get; }

    /// <summary>short(0) where V_δ(0) is finite (the short part's self value), 0 otherwise.</summary>
    public double ShortSelf { get; }

    public bool SelfIncluded => Model.Regularization.Type != RegularizationType.None;

    /// <summary>
    /// The relative size δ²/r_c² of the algebraic tail that the 1D gaussian/poisson split drops beyond the cut-off;
    /// 0 for every other kernel, whose short parts decay like Gaussians.
    /// </summary>
    public static double TruncatedTail(SystemModel model, double cutoff) =>
        model.Dimension == 1 && model.Regularization.Type != RegularizationType.None
            ? Math.Pow(model.Regularization.Delta / cutoff, 2)
            : 0.0;

    /// <summary>The whole regularised kernel on the mesh: L̂ = V̂_δ, no near field, no constant.</summary>
    public static EwaldSplit MeshOnly(SystemModel model)
    {
        RejectUnsplittable(model);
        var reg = model.Regularization;
        if (reg.Type == RegularizationType.None)
        {
            throw new NotSupportedException("the unregularised kernel cannot live on a mesh alone");
        }
        return new EwaldSplit(model, null, 0, reg.Delta,
            (f1, f2) => FourierCoefficients.Coefficient(model.Dimension, model.Kernel, reg, f1, f2), 0, 0);
    }

    /// <summary>The split at width σ (for gaussian edge σ must exceed δ).</summary>
    public static EwaldSplit Create(SystemModel model, double sigma)
    {
        RejectUnsplittable(model);
        int d = model.Dimension;
        var reg = model.Regularization;
        double delta = reg.Delta;
        if (model.Kernel == KernelType.Edge && reg.Type == RegularizationType.Gaussian && sigma <= delta)
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "the gaussian edge split needs σ > δ");
        }
        double a = 2 * Math.PI * Math.PI * sigma * sigma;
        return (d, model.Kernel, reg.Type) switch
        {
            (1, KernelType.Log, RegularizationType.None) => new EwaldSplit(model, ShortRangeKind.Log, sigma, sigma,
                LogErfc(sigma), -Math.Sqrt(2 * Math.PI) * sigma, 0),
            (1, KernelType.Log, RegularizationType.Gaussian) => new EwaldSplit(model, ShortRangeKind.GaussianLog1D, sigma, sigma,
                LogErfc(sigma), -Math.Sqrt(2 * Math.PI) * sigma, new GaussianLogShort1D(sigma, delta, sigma).AtZero),
            (1, KernelType.Log, RegularizationType.Poisson) => new EwaldSplit(model, ShortRangeKind.PoissonLog1D, sigma, sigma,
                LogErfc(sigma), -Math.Sqrt(2 * Math.PI) * sigma + Math.PI * delta, new PoissonLogShort1D(sigma, delta, sigma).AtZero),
            (2, KernelType.Log, RegularizationType.None) => new EwaldSplit(model, ShortRangeKind.Log, sigma, sigma,
                (f1, f2) => Bare(model, f1, f2) * Math.Exp(-a * Norm2(f1, f2)), -Math.PI * sigma * sigma, 0),
            (2, KernelType.Log, RegularizationType.Gaussian) => GaussianLog(model, sigma, delta),
            (2, KernelType.Edge, RegularizationType.None) => new EwaldSplit(model, ShortRangeKind.Edge, sigma, sigma,
                (f1, f2) => Bare(model, f1, f2) * (1 + a * Norm2(f1, f2)) * Math.Exp(-a * Norm2(f1, f2)), 0, 0),
            (2, KernelType.Edge, RegularizationType.Gaussian) => new EwaldSplit(model, ShortRangeKind.GaussianEdge, sigma, sigma,
                (f1, f2) => Bare(model, f1, f2) * (1 + a * Norm2(f1, f2)) * Math.Exp(-a * Norm2(f1, f2)), 0,
                Math.Log(sigma / delta)),
            _ => throw new NotSupportedException($"no Ewald split for dimension {d}, kernel {model.Kernel}, regularization {reg.Type}"),
        };
    }

    /// <summary>long(0) = Σ_{k≠0} L̂_k, summed exactly (to 1e-17 of the leading term).</summary>
    public double LongAtZero()
    {
        int d = Model.Dimension;
        int cutoff = (int)Math.Ceiling(Math.Sqrt(2 * 45.0) / (2 * Math.PI * LongWidth)) + 2;
        if (Model.Regularization.Type == RegularizationType.Poisson)
        {
            cutoff = (int)Math.Ceiling(45.0 / (2 * Math.PI * Model.Regularization.Delta)) + 2;
        }
        double sum = 0;
        for (int k1 = -cutoff; k1 <= cutoff; k1++)
        {
            int k2Max = d == 2 ? cutoff : 0;
            for (int k2 = -k2Max; k2 <= k2Max; k2++)
            {
                if (k1 != 0 || k2 != 0)
                {
                    sum += Multiplier(k1, k2);
                }
            }
        }
        return sum;
    }

    private static void RejectUnsplittable(SystemModel model)
    {
        if (model.Dimension == 2 && model.Regularization.Type == RegularizationType.Poisson)
        {
            throw new NotSupportedException(
                "2D poisson regularisation has no exact Ewald split (it differs from the log kernel by a tail ≈ −δ/r, NUMERICS.md §2), so the fast path cannot reach a tolerance; use forces.method \"reference\" (or \"auto\", which does)");
        }
    }

    private static EwaldSplit GaussianLog(SystemModel model, double sigma, double delta)
    {
        // V_δ = Σ ½[E1(r²/2S²) − E1(r²/2δ²)] + Σ_k V̂_k e^{−2π²S²|k|²} − πσ², S² = σ² + δ²; short(0) = ln(S/δ).
        double s2 = sigma * sigma + delta * delta;
        double aS = 2 * Math.PI * Math.PI * s2;
        return new EwaldSplit(model, ShortRangeKind.GaussianLog, sigma, Math.Sqrt(s2),
            (f1, f2) => Bare(model, f1, f2) * Math.Exp(-aS * Norm2(f1, f2)), -Math.PI * sigma * sigma,
            0.5 * Math.Log(s2 / (delta * delta)));
    }

    /// <summary>The 1D long part V̂_k erfc(√2 πσ|k|).</summary>
    private static Func<int, int, double> LogErfc(double sigma) =>
        (f1, _) => Erfc(Math.Sqrt(2) * Math.PI * sigma * Math.Abs(f1)) / (2 * Math.Abs(f1));

    private static double Bare(SystemModel model, int f1, int f2) => FourierCoefficients.Coefficient(
        model.Dimension, model.Kernel, new Regularization(RegularizationType.None, 1), f1, f2);

    private static double Norm2(int f1, int f2) => (double)f1 * f1 + (double)f2 * f2;

    private static double Erfc(double x) => SpecialMath.Erfc(x);
}
