namespace HpcGB.Engine.Integrators;

/// <summary>
/// Sums over every rank of a distributed run (HpcGB.Engine.Distributed): an integrator whose particles are spread
/// over ranks adds its norms through this, and every rank gets the same bits, so all take the same steps.
/// </summary>
public interface IGlobalSums
{
    /// <summary>Σ over ranks of each value, added in rank order.</summary>
    double[] Sum(params double[] local);
}
