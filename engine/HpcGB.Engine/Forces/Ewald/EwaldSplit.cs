using HpcGB.Engine.Cases;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Kernels;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Forces.Ewald;

/// <summary>
/// The exact Ewald decomposition of one model at width σ (docs/numerics.md §4), from its case's
/// <see cref="EwaldSplitRule"/>: V_δ(x) = Σ_images short(x + n) + Σ_{k≠0} L̂_k e^{2πik·x} + C, or the whole kernel
/// on the mesh (<see cref="MeshOnly"/>). The short part's self value is its operator's value at 0.
/// <para>
/// 1D gaussian and poisson: V_δ = V + Σ_images h(x + n) + c_h exactly, with h the free-space regularisation of −ln|x|
/// (gaussian: h = ln|x| − ln δ − ℓ(x/δ); poisson: h = ln|x| − ½ln(x² + δ²)): both sides have the Fourier
/// coefficients (V̂_δ,k − V̂_k) for k ≠ 0, and c_h = −∫h (πδ for poisson, 0 for gaussian). So the short part is
/// ½E1(x²/2σ²) + h, the long part that of the unregularised kernel. h decays only like ∓δ²/2x², and the near
/// field drops it beyond r_c: a relative error of about δ²/r_c² (<see cref="TruncatedTail"/>), which the
/// parameter chooser keeps far below the tolerance; elsewhere the whole kernel lives on the mesh.
/// </para>
/// </summary>
public sealed class EwaldSplit
{
    private EwaldSplit(SystemModel model, KernelCase kase, EwaldSplitRule? rule, double sigma, double longWidth,
        Func<int, int, double> multiplier, double constant)
    {
        Model = model;
        Case = kase;
        Rule = rule;
        Sigma = sigma;
        LongWidth = longWidth;
        Multiplier = multiplier;
        Constant = constant;
    }

    public SystemModel Model { get; }

    public KernelCase Case { get; }

    /// <summary>The case's split, or null when the whole kernel lives on the mesh.</summary>
    public EwaldSplitRule? Rule { get; }

    /// <summary>The near-field function, or null when the whole kernel lives on the mesh.</summary>
    public ShortRangeFunction? ShortRange => Rule?.ShortRange;

    /// <summary>The split width σ (0 when there is no short-range part).</summary>
    public double Sigma { get; }

    /// <summary>The Gaussian width at which L̂ decays (σ, √(σ² + δ²) or δ): sets the mesh.</summary>
    public double LongWidth { get; }

    /// <summary>L̂ at the signed frequency (f1, f2).</summary>
    public Func<int, int, double> Multiplier { get; }

    /// <summary>The constant C of the decomposition.</summary>
    public double Constant { get; }

    public bool SelfIncluded => Case.IsRegularised;

    /// <summary>The relative size δ²/r_c² of the tail the split drops beyond the cut-off (0 for Gaussian-decaying short parts).</summary>
    public static double TruncatedTail(SystemModel model, double cutoff) =>
        KernelCases.For(model).Split?.TruncatedTail(model.Delta, cutoff) ?? 0.0;

    /// <summary>The whole regularised kernel on the mesh: L̂ = V̂_δ, no near field, no constant.</summary>
    public static EwaldSplit MeshOnly(SystemModel model)
    {
        var kase = SplittableCase(model);
        if (!kase.IsRegularised)
        {
            throw new NotSupportedException("the unregularised kernel cannot live on a mesh alone");
        }
        double delta = model.Delta;
        return new EwaldSplit(model, kase, null, 0, delta, (f1, f2) => kase.Coefficient(delta, f1, f2), 0);
    }

    /// <summary>The split at width σ (for gaussian edge σ must exceed δ).</summary>
    public static EwaldSplit Create(SystemModel model, double sigma)
    {
        var kase = SplittableCase(model);
        var rule = kase.Split!;
        double delta = model.Delta;
        if (!rule.AcceptsSigma(sigma, delta))
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, $"the {kase.Name} split needs σ > δ = {delta:R}");
        }
        return new EwaldSplit(model, kase, rule, sigma, rule.LongWidth(sigma, delta),
            (f1, f2) => f1 == 0 && f2 == 0
                ? 0.0
                : kase.BareCoefficient(f1, f2) * rule.LongFactor(sigma, delta, FourierCoefficients.Norm2(f1, f2)),
            rule.Constant(sigma, delta));
    }

    /// <summary>
    /// long(0) = Σ_{k≠0} L̂_k, summed exactly (to 1e-17 of the leading term); the energy needs it where the self
    /// term is excluded, i.e. for the unregularised kernels, whose L̂ decays like a Gaussian of width σ.
    /// </summary>
    public double LongAtZero()
    {
        int d = Model.Dimension;
        int cutoff = (int)Math.Ceiling(Math.Sqrt(2 * 45.0) / (2 * Math.PI * LongWidth)) + 2;
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

    private static KernelCase SplittableCase(SystemModel model)
    {
        var kase = KernelCases.For(model);
        var fastPath = kase.FastPath;
        return fastPath.Supported ? kase : throw new NotSupportedException(fastPath.Reason);
    }
}
