using HpcGB.Engine.Model;

namespace HpcGB.Bench;

/// <summary>
/// <c>dotnet bench/…/HpcGB.Bench.dll count log|edge n full|near|mesh|none reps</c>: sets up the fast path and runs one
/// stage <c>reps</c> times, for an instruction counter (<c>valgrind --tool=callgrind</c>), which is deterministic where
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
        using var evaluator = EvaluationSetup.Pme(kernel, n, 1e-6);
        var state = EvaluationSetup.Uniform(n);
        var velocity = state.NewVectors();
        double[] x1 = state.Positions[0], x2 = state.Positions[1], g1 = new double[n], g2 = new double[n];
        for (int r = 0; r < reps; r++)
        {
            switch (stage)
            {
                case "full":
                    evaluator.Evaluate(state, velocity, withEnergy: false);
                    break;
                case "near":
                    evaluator.NearField!.Compute(x1, x2, state.Signs, g1, g2, withEnergy: false);
                    break;
                case "mesh":
                    evaluator.Mesh.Compute(x1, x2, state.Signs, g1, g2, withEnergy: false);
                    break;
            }
        }
        var p = evaluator.Settings;
        Console.WriteLine($"{kernel} n = {n} {stage} × {reps}: M = {p.Mesh} p = {p.Order} r_c = {p.Cutoff:E3} {evaluator.SimdPathName}");
    }
}
