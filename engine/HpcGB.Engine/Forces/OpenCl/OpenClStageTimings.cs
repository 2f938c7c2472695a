namespace HpcGB.Engine.Forces.OpenCl;

/// <summary>Seconds per stage of one device evaluation (measured only with <see cref="OpenClEwaldEvaluator.ProfileStages"/>).</summary>
/// <param name="Upload">Positions (and signs when they changed) to the device.</param>
/// <param name="Binning">Both counting sorts: near-field cells and PME tiles.</param>
/// <param name="NearField">The pair sums.</param>
/// <param name="Spread">Spreading onto the mesh.</param>
/// <param name="Fft">Forward FFT, influence function, inverse FFT.</param>
/// <param name="Gather">Gathering into the velocities.</param>
/// <param name="Download">Velocities (and the energy's partial sums) back to the host.</param>
public readonly record struct OpenClStageTimings(
    double Upload, double Binning, double NearField, double Spread, double Fft, double Gather, double Download)
{
    public double Total => Upload + Binning + NearField + Spread + Fft + Gather + Download;
}
