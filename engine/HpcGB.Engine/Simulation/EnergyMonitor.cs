using System.Globalization;
using HpcGB.Engine.Spec;

namespace HpcGB.Engine.Simulation;

/// <summary>
/// Watches the energy from frame to frame. The particle system is a gradient flow, dE_n/dt = −(1/n) Σ|ẋ_i|² ≤ 0
/// (PAPER.md §1, the tilt of an applied force included), so a frame whose energy lies above the previous one by more
/// than round-off and force-tolerance noise means the integration went wrong — typically a fixed Euler step beyond
/// its stability limit — and a non-finite energy means the numbers are gone. Either stops the run with a
/// <see cref="SimulationException"/> naming the energies and times, instead of reporting it completed.
/// </summary>
public sealed class EnergyMonitor(TimeSpec time, string integrator)
{
    /// <summary>A rise counts once it exceeds this fraction of the largest |E_n| seen (noise of tolerance 1e-6
    /// forces and of adaptive steps is orders of magnitude below).</summary>
    public const double RelativeRise = 1e-3;

    private double _previousTime = double.NaN;
    private double _previous = double.NaN;
    private double _scale;

    /// <summary>Checks the energy of the frame at time <paramref name="t"/>; throws when it rose or is not finite.</summary>
    public void Check(double t, double energy)
    {
        if (!double.IsFinite(energy))
        {
            throw new SimulationException(
                $"{integrator}: the energy is {Number(energy)} at t = {Number(t)}: the computation overflowed (δ or the time step far outside what the numbers can carry)", t);
        }
        _scale = Math.Max(_scale, Math.Abs(energy));
        if (!double.IsNaN(_previous) && energy - _previous > RelativeRise * _scale + 1e-12)
        {
            string hint = integrator == "euler"
                ? $" (the fixed step time.step = {Number(time.Step)} is too large for this system: make it smaller, or use dp45)"
                : " (tighten time.rtol and time.atol, or use another integrator)";
            throw new SimulationException(
                $"{integrator}: the energy rose from {Number(_previous)} at t = {Number(_previousTime)} to {Number(energy)} at t = {Number(t)}; "
                + $"a gradient flow cannot gain energy, so the integration is unstable{hint}",
                t);
        }
        _previous = energy;
        _previousTime = t;
    }

    private static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
