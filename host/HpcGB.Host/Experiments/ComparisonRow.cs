namespace HpcGB.Host.Experiments;

/// <summary>
/// One particle run against the PDE with the same δ: distances are Σ_± ‖μ_n^± − ρ^±‖_{H^{−1}} on the PDE grid.
/// </summary>
/// <param name="Case">Which system (e.g. "1d-log", "2d-edge-glide").</param>
/// <param name="Parameter">A sweep parameter (β of δ_n = n^{−β}), NaN where there is none.</param>
/// <param name="SupDistance">sup over the output times of the distance.</param>
/// <param name="InitialDistance">The distance at t = 0 (quantisation or dipole placement).</param>
/// <param name="PdeMotion">sup_t Σ_± ‖ρ^±(t) − ρ^±(0)‖_{H^{−1}}: how far the PDE moves.</param>
/// <param name="ParticleMotion">sup_t Σ_± ‖μ_n^±(t) − μ_n^±(0)‖_{H^{−1}}: how far the particles move.</param>
/// <param name="CentreDrift">max_k sup_t |z_k(t) − z_k(0)| over the dipole centres; NaN without dipoles.</param>
internal sealed record ComparisonRow(
    string Case,
    double Parameter,
    int N,
    double Delta,
    double SupDistance,
    double InitialDistance,
    double PdeMotion,
    double ParticleMotion,
    double CentreDrift,
    long ParticleSteps,
    double ParticleSeconds,
    double PdeSeconds);
