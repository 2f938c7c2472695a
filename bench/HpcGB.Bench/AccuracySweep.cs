using System.Globalization;
using HpcGB.Engine.Cases;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/HpcGB.Bench -- accuracy log|edge none|gaussian n tolerance neighbours order mesh … [band=0] [q=X] [ref=T]</c>:
/// the RMS relative velocity error of the fast path at the split of <c>tolerance</c> with the given neighbours within
/// r_c, B-spline order and mesh sizes (band=0: the whole spectrum instead of the chooser's band; q=X: the split at reach
/// q = r_c/w instead of the chooser's), against the fast path at tolerance 1e-10 (ref=T: at T, for n = 10⁶, whose mesh
/// at 1e-10 is refused) with the whole spectrum (uniform particles, δ =
/// <see cref="EvaluationSetup.Delta"/> for gaussian): the measurements behind <see cref="EwaldParameterChooser"/>'s
/// mesh rule at large n, where the exact reference is out of reach.
/// </summary>
internal static class AccuracySweep
{
    public static void Run(IReadOnlyList<string> args)
    {
        var kernel = args[0] == "edge" ? KernelType.Edge : KernelType.Log;
        var regularization = args[1] == "none"
            ? new Regularization(RegularizationType.None, 1e-9)
            : new Regularization(RegularizationType.Gaussian, EvaluationSetup.Delta);
        int n = Parse<int>(args[2]);
        double tolerance = Parse<double>(args[3]);
        double neighbours = Parse<double>(args[4]);
        int order = Parse<int>(args[5]);
        var model = new SystemModel(2, kernel, MobilityType.Isotropic, regularization, ExternalPotential.None(2));
        var state = EvaluationSetup.Uniform(n);
        var reference = state.NewVectors();
        double referenceTolerance = args.FirstOrDefault(a => a.StartsWith("ref=", StringComparison.Ordinal)) is { } r ? Parse<double>(r[4..]) : 1e-10;
        var tightSettings = EwaldParameterChooser.Choose(model, n, referenceTolerance) with { BandColumns = null };
        using (var tight = new EwaldEvaluator(model, tightSettings, SimdPath.Auto, Environment.ProcessorCount))
        {
            tight.Evaluate(state, reference, withEnergy: false);
            Console.WriteLine($"reference: {tight.Settings}");
        }
        var split = NeighbourSplit.For(model, n, tolerance, neighbours, NeighbourSplit.Reach(args));
        foreach (string mesh in args.Skip(6).Where(a => !a.Contains('=')))
        {
            var parameters = split.Parameters(model, Parse<int>(mesh), order, tolerance, NeighbourSplit.Band(args));
            using var fast = new EwaldEvaluator(model, parameters, SimdPath.Auto, Environment.ProcessorCount);
            var velocity = state.NewVectors();
            fast.Evaluate(state, velocity, withEnergy: false);
            var (rms, _) = EvaluationSetup.RelativeError(velocity, reference);
            Console.WriteLine(FormattableString.Invariant(
                $"{kernel} {regularization.Type} n = {n} tol {tolerance:E0} neighbours {neighbours} p = {order} M = {mesh} (w·M = {split.Width * parameters.Mesh:F2}, q = {split.Q:F3}, K = {split.Q / (2 * Math.PI * split.Width):F0}, columns {parameters.BandColumns?.ToString(CultureInfo.InvariantCulture) ?? "all"}): RMS relative {rms:E2}"));
        }
    }

    private static T Parse<T>(string s) where T : IParsable<T> => T.Parse(s, CultureInfo.InvariantCulture);
}
