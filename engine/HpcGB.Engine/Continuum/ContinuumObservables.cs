namespace HpcGB.Engine.Continuum;

/// <summary>What a continuum frame reports.</summary>
/// <param name="Time">Simulated time.</param>
/// <param name="PositiveMass">∫ρ⁺ (conserved to round-off).</param>
/// <param name="NegativeMass">∫ρ⁻ (conserved to round-off).</param>
/// <param name="Energy">E_δ(ρ) = ½ Σ_k V̂_δ,k |κ̂_k|² + ∫Uκ (<see cref="ContinuumField.Energy"/>); non-increasing.</param>
/// <param name="Entropy">Ent(ρ) = ∫ρ⁺ log ρ⁺ + ∫ρ⁻ log ρ⁻ (0 log 0 = 0).</param>
/// <param name="MaxSpeed">max over signs, moving axes and faces of |v_a|.</param>
/// <param name="MinDensity">The smallest cell value of ρ⁺ and ρ⁻ (never negative).</param>
/// <param name="Steps">SSP-RK3 steps since t = 0.</param>
public sealed record ContinuumObservables(
    double Time,
    double PositiveMass,
    double NegativeMass,
    double Energy,
    double Entropy,
    double MaxSpeed,
    double MinDensity,
    long Steps);

/// <summary>One continuum output: densities (cell averages, row-major) are copies the receiver may keep.</summary>
public sealed record ContinuumFrame(int Index, ContinuumObservables Observables, double[] Positive, double[] Negative);
