using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Forces.Ewald;

/// <summary>
/// How one case splits exactly at width σ (docs/numerics.md §4):
/// V_δ(x) = Σ_images short(x + n) + Σ_{k≠0} V̂_k F(σ, δ, |k|²) e^{2πik·x} + C(σ, δ), with V̂_k the unregularised
/// coefficient, F the <see cref="LongFactor"/> and C the <see cref="Constant"/>. The short part's value at 0 (the
/// self term) comes from its operator. One row of <see cref="Cases.KernelCases"/> per splittable case.
/// </summary>
/// <param name="ShortRange">The near-field function and its operator.</param>
/// <param name="LongFactor">F(σ, δ, |k|²): L̂_k = V̂_k F.</param>
/// <param name="Constant">C(σ, δ).</param>
/// <param name="Width">Which width the short part decays at and what σ must satisfy.</param>
/// <param name="DropsAlgebraicTail">
/// True where the short part has an algebraic tail (δ²/2x², 1D gaussian and poisson) that the near field drops
/// beyond r_c (<see cref="TruncatedTail"/>); false where it decays like a Gaussian.
/// </param>
/// <param name="ReachFactor">
/// The factor on q = √(2 ln(1/tol)) in the mesh-only cut-off K = q/(2πδ) (<see cref="EwaldParameterChooser"/>): 1, or
/// 1.15 for edge, whose spectrum decays more slowly.
/// </param>
/// <param name="RealSpaceErrorConstant">
/// A in the RMS relative velocity error of the near field's cut at r_c = qw, A e^{−q²/2}, that the chooser designs the
/// split's reach q for (<see cref="EwaldParameterChooser.Reach"/>): the upper end of the measured range where it was
/// measured, else the generic bound <see cref="EwaldParameterChooser.RealSpaceErrorConstant"/>.
/// </param>
/// <param name="SplineErrorConstant">
/// C in the B-spline interpolation error C (wM)^{−p} at order p = 8, relative to the RMS velocity, that the mesh rule
/// designs for (<see cref="EwaldParameterChooser"/>): 1.5–2.5× the measured value where it was measured, else the
/// generic bound.
/// </param>
/// <param name="GlideSplineErrorConstant">
/// The same under glide, where only the first velocity component counts (edge: its error is 5–6× smaller than the
/// isotropic velocity's); null: <paramref name="SplineErrorConstant"/>.
/// </param>
public sealed record EwaldSplitRule(
    ShortRangeFunction ShortRange,
    Func<double, double, double, double> LongFactor,
    Func<double, double, double> Constant,
    SplitWidth Width,
    bool DropsAlgebraicTail,
    double ReachFactor = 1.0,
    double RealSpaceErrorConstant = EwaldParameterChooser.RealSpaceErrorConstant,
    double SplineErrorConstant = EwaldParameterChooser.SplineErrorConstant,
    double? GlideSplineErrorConstant = null)
{
    /// <summary>The constant at p = 8 for the model's mobility (<see cref="GlideSplineErrorConstant"/> under glide).</summary>
    public double SplineErrorConstantFor(MobilityType mobility) =>
        mobility == MobilityType.Glide && GlideSplineErrorConstant is { } glide ? glide : SplineErrorConstant;

    /// <summary>The Gaussian width at which L̂ decays: √(σ² + δ²) for <see cref="SplitWidth.CombinedWithCore"/>, σ otherwise.</summary>
    public double LongWidth(double sigma, double delta) =>
        Width == SplitWidth.CombinedWithCore ? SplitWidths.Combined(sigma, delta) : sigma;

    /// <summary>The σ whose short part decays at <paramref name="width"/> (inverse of <see cref="LongWidth"/>).</summary>
    public double SigmaFor(double width, double delta) =>
        Width == SplitWidth.CombinedWithCore ? SplitWidths.SigmaForCombined(width, delta) : width;

    /// <summary>Whether σ is a valid split width at core δ (σ &gt; δ for <see cref="SplitWidth.AboveCore"/>).</summary>
    public bool AcceptsSigma(double sigma, double delta) => Width != SplitWidth.AboveCore || SplitWidths.IsAboveCore(sigma, delta);

    /// <summary>True where the core δ bounds σ (σ² = w² − δ² &gt; 0, or σ &gt; δ): the split needs δ well below w.</summary>
    public bool CoreLimitsSigma => Width != SplitWidth.Sigma;

    /// <summary>The relative size δ²/r_c² of the tail dropped beyond the cut-off; 0 where the short part decays like a Gaussian.</summary>
    public double TruncatedTail(double delta, double cutoff) => DropsAlgebraicTail ? Math.Pow(delta / cutoff, 2) : 0.0;
}

/// <summary>Which width a short part decays at, and the rule σ must satisfy.</summary>
public enum SplitWidth
{
    /// <summary>Decays at σ; any σ &gt; 0.</summary>
    Sigma,

    /// <summary>Decays at S = √(σ² + δ²) (2D gaussian log: widths S and δ).</summary>
    CombinedWithCore,

    /// <summary>Decays at σ and needs σ &gt; δ (gaussian edge: s_σ − s_δ).</summary>
    AboveCore,
}
