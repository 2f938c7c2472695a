using HpcGB.Engine.Cases;
using HpcGB.Engine.Model;

namespace HpcGB.Bench;

/// <summary>
/// The Ewald split the parameter benches try instead of the chooser's: r_c holding a given mean number of neighbours
/// (πr_c²n), the splitting width r_c/q that reaches <c>tolerance</c> by the case's rule, σ from that width and δ.
/// </summary>
internal readonly record struct NeighbourSplit(double Q, double Cutoff, double Width, double Sigma)
{
    public static NeighbourSplit For(SystemModel model, int n, double tolerance, double neighbours)
    {
        var rule = KernelCases.For(model).Split!;
        double q = rule.ReachFactor * Math.Sqrt(2 * Math.Log(1 / tolerance));
        double cutoff = Math.Sqrt(neighbours / (Math.PI * n));
        double width = cutoff / q;
        return new NeighbourSplit(q, cutoff, width, rule.SigmaFor(width, model.Regularization.Delta));
    }
}
