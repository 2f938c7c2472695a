using HpcGB.Engine.Forces;
using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Bench;

/// <summary>
/// <c>dotnet bench/…/HpcGB.Bench.dll count log|edge n full|near|mesh|none reps [energy] [peer]</c>: sets up the fast path
/// and runs one stage <c>reps</c> times (<c>energy</c>: with the energy, as the implicit integrator asks; <c>peer</c>:
/// unregularised, edge under glide — the peer workload — instead of the gaussian δ = 1e-4; <c>kept</c>: all within one
/// step attempt, so that evaluations after the first keep the near field's lists), for an instruction counter (<c>valgrind --tool=callgrind</c>), which is deterministic where
/// wall times on a shared machine are not: (count at reps = 3 − count at reps = 1) / 2 is the cost of one evaluation
/// (see bench/count.sh).
/// </summary>
internal static class InstructionCount
{
    public static void Run(IReadOnlyList<string> args)
    {
        var kernel = args[0] == "edge" ? KernelType.Edge : KernelType.Log;
        int n = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
        string stage = args[2];
        int reps = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
        var options = args.Skip(4).ToHashSet();
        bool withEnergy = options.Contains("energy");
        var model = options.Contains("peer")
            ? EvaluationSetup.Workload(kernel)
            : EvaluationSetup.Model(kernel);
        using var evaluator = (EwaldEvaluator)ForceEvaluatorFactory.Create(model, new ForcesSpec(ForceMethod.Pme, 1e-6), n);
        var state = EvaluationSetup.Uniform(n);
        var velocity = state.NewVectors();
        double[] x1 = state.Positions[0], x2 = state.Positions[1], g1 = new double[n], g2 = new double[n];
        using var attempt = options.Contains("kept") ? evaluator.BeginAttempt() : null;
        for (int r = 0; r < reps; r++)
        {
            switch (stage)
            {
                case "full":
                    evaluator.Evaluate(state, velocity, withEnergy);
                    break;
                case "near":
                    evaluator.NearField!.Compute(x1, x2, state.Signs, g1, g2, withEnergy);
                    break;
                case "mesh":
                    evaluator.Mesh.Compute(x1, x2, state.Signs, g1, g2, withEnergy);
                    break;
            }
        }
        var p = evaluator.Settings;
        Console.WriteLine($"{kernel} n = {n} {stage} × {reps}: M = {p.Mesh} p = {p.Order} r_c = {p.Cutoff:E3} {evaluator.SimdPathName}");
    }
}
