using System.Globalization;
using HpcGB.Engine.Cases;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/HpcGB.Bench -- accuracy log|edge none|gaussian n tolerance neighbours order mesh …</c>:
/// the RMS relative velocity error of the fast path at the split of <c>tolerance</c> with the given neighbours within
/// r_c, B-spline order and mesh sizes, against the fast path at tolerance 1e-10 (uniform particles, δ =
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
        using (var tight = (EwaldEvaluator)ForceEvaluatorFactory.Create(model, new ForcesSpec(ForceMethod.Pme, 1e-10), n))
        {
            tight.Evaluate(state, reference, withEnergy: false);
            Console.WriteLine($"reference: {tight.Settings}");
        }
        var (q, cutoff, width, sigma) = NeighbourSplit.For(model, n, tolerance, neighbours);
        foreach (string mesh in args.Skip(6))
        {
            var parameters = new EwaldParameters(sigma, cutoff, Parse<int>(mesh), order, tolerance, false);
            using var fast = new EwaldEvaluator(model, parameters, SimdPath.Auto, Environment.ProcessorCount);
            var velocity = state.NewVectors();
            fast.Evaluate(state, velocity, withEnergy: false);
            var (rms, _) = EvaluationSetup.RelativeError(velocity, reference);
            Console.WriteLine(FormattableString.Invariant(
                $"{kernel} {regularization.Type} n = {n} tol {tolerance:E0} neighbours {neighbours} p = {order} M = {mesh} (w·M = {width * parameters.Mesh:F2}, K = {q / (2 * Math.PI * width):F0}): RMS relative {rms:E2}"));
        }
    }

    private static T Parse<T>(string s) where T : IParsable<T> => T.Parse(s, CultureInfo.InvariantCulture);
}
