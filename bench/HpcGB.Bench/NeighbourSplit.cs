using HpcGB.Engine.Cases;
using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Model;

namespace HpcGB.Bench;

/// <summary>
/// The Ewald split the parameter benches try instead of the chooser's: r_c holding a given mean number of neighbours
/// (πr_c²n), the splitting width r_c/q that reaches <c>tolerance</c> by the case's rule, σ from that width and δ.
/// </summary>
internal readonly record struct NeighbourSplit(double Q, double Cutoff, double Width, double Sigma)
{
    /// <param name="reach">q = r_c/w, or null for the chooser's at <paramref name="tolerance"/>.</param>
    public static NeighbourSplit For(SystemModel model, int n, double tolerance, double neighbours, double? reach = null)
    {
        var rule = KernelCases.For(model).Split!;
        double q = reach ?? EwaldParameterChooser.Reach(rule, tolerance);
        double cutoff = Math.Sqrt(neighbours / (Math.PI * n));
        double width = cutoff / q;
        return new NeighbourSplit(q, cutoff, width, rule.SigmaFor(width, model.Regularization.Delta));
    }

    /// <summary>The parameters of this split on an M-point mesh, with the chooser's band of the spectrum or (<paramref name="band"/> false) all of it.</summary>
    public EwaldParameters Parameters(SystemModel model, int mesh, int order, double tolerance, bool band) =>
        new(Sigma, Cutoff, mesh, order, tolerance, false,
            band ? EwaldParameterChooser.BandColumns(KernelCases.For(model).Split!, Sigma, model.Regularization.Delta, tolerance, mesh) : null);

    /// <summary>The option "band=0" among the arguments: the whole spectrum (default: the chooser's band).</summary>
    public static bool Band(IEnumerable<string> args) => !args.Contains("band=0");

    /// <summary>The option "q=X" among the arguments: that reach instead of the chooser's.</summary>
    public static double? Reach(IEnumerable<string> args) =>
        args.FirstOrDefault(a => a.StartsWith("q=", StringComparison.Ordinal)) is { } q
            ? double.Parse(q[2..], System.Globalization.CultureInfo.InvariantCulture) : null;
}
