namespace HpcGB.Host.Experiments;

/// <summary>
/// One particle run against the PDE with the same δ: distances d = Σ_± ‖μ_n^± − ρ^±‖_{H^{−1}} on the PDE grid at
/// every output time, so that the error at t = 0 (the quantisation) and what the evolution adds stay apart.
/// </summary>
/// <param name="Case">Which system (e.g. "1d-log", "2d-edge-glide").</param>
/// <param name="Parameter">A sweep parameter (β of δ_n = n^{−β}), NaN where there is none.</param>
/// <param name="Times">The output times.</param>
/// <param name="Distances">d(t) to the PDE started from the smooth ρ₀.</param>
/// <param name="W2Distances">1D: W₂(μ_n⁺, ρ⁺) + W₂(μ_n⁻, ρ⁻) at each time (exact on the circle, each sign normalised to
/// mass 1); empty in 2D.</param>
/// <param name="ResolvedDistances">d_δ(t) = Σ_± ‖G_δ * (μ_n^± − ρ^±)‖_{H^{−1}}, the distance at the scales the kernel
/// regularised at δ resolves (<see cref="Engine.Analysis.ResolvedDistance"/>), free of the 1/n floor of points against a
/// density; null where not measured.</param>
/// <param name="PdeMotion">sup_t Σ_± ‖ρ^±(t) − ρ^±(0)‖_{H^{−1}}: how far the PDE moves.</param>
/// <param name="ParticleMotion">sup_t Σ_± ‖μ_n^±(t) − μ_n^±(0)‖_{H^{−1}}: how far the particles move.</param>
/// <param name="CentreDrift">max_k sup_t |z_k(t) − z_k(0)| over the dipole centres; NaN without dipoles.</param>
internal sealed record ComparisonRow(
    string Case,
    double Parameter,
    int N,
    double Delta,
    double[] Times,
    double[] Distances,
    double[] W2Distances,
    double[]? ResolvedDistances,
    double PdeMotion,
    double ParticleMotion,
    double CentreDrift,
    long ParticleSteps,
    double ParticleSeconds,
    double PdeSeconds)
{
    /// <summary>sup_t d(t).</summary>
    public double SupDistance => Distances.Max();

    /// <summary>d(0): the quantisation or dipole placement.</summary>
    public double InitialDistance => Distances[0];

    /// <summary>d(T).</summary>
    public double FinalDistance => Distances[^1];

    /// <summary>sup_t (d(t) − d(0)): how much the evolution adds to the initial error (0 when it never exceeds it).</summary>
    public double SupGrowth => Distances.Max(d => d - Distances[0]);

    /// <summary>sup_t of the 1D W₂ distance; NaN in 2D.</summary>
    public double SupW2 => W2Distances.Length == 0 ? double.NaN : W2Distances.Max();

    /// <summary>d_δ(0); NaN where not measured.</summary>
    public double InitialResolved => ResolvedDistances is null ? double.NaN : ResolvedDistances[0];

    /// <summary>sup_t d_δ(t); NaN where not measured.</summary>
    public double SupResolved => ResolvedDistances is null ? double.NaN : ResolvedDistances.Max();
}
