using System.Globalization;
using System.Text;
using System.Text.Json;
using HpcGB.Engine.Distributed;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Spec;
using HpcGB.Host.Output;

namespace HpcGB.Host.Cli.Distributed;

/// <summary>
/// <c>hpcgb forces</c> across ranks: the initial configuration spread over the slabs, one distributed evaluation,
/// and on rank 0 the same output as the serial command — the JSON document streamed block by block in the serial
/// order (rank 0 never holds every velocity), or the table of the first particles.
/// </summary>
internal static class DistributedForces
{
    private const int TableRows = 10;

    public static int Execute(CliConsole console, Engine.Distributed.Communicator communicator, SimulationSpec spec, bool json)
    {
        using var system = DistributedSystem.Create(spec, communicator);
        var held = system.Held;
        var velocity = held.NewVectors();
        double energy = system.Evaluator.Evaluate(held, velocity, withEnergy: true);
        int d = held.Dimension;
        var rows = new double[held.Count * d];
        for (int i = 0; i < held.Count; i++)
        {
            for (int a = 0; a < d; a++)
            {
                rows[i * d + a] = velocity[a][i];
            }
        }
        if (json)
        {
            var text = console.Out;
            bool root = communicator.Rank == 0;
            if (root)
            {
                text.Write("{\"energy\": ");
                text.Write(JsonOutput.RoundTrip(energy));
                text.Write(", \"velocities\": [");
            }
            system.StreamInOrder(rows, d, (first, block) =>
            {
                var line = new StringBuilder(block.Length * 26);
                for (int j = 0; j < block.Length / d; j++)
                {
                    line.Append(first + j == 0 ? "[" : ", [");
                    for (int a = 0; a < d; a++)
                    {
                        line.Append(a > 0 ? ", " : "").Append(JsonOutput.RoundTrip(block[j * d + a]));
                    }
                    line.Append(']');
                }
                text.Write(line.ToString());
            });
            if (root)
            {
                using var buffer = new MemoryStream();
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    JsonOutput.WriteParameters(writer, system.Evaluator.Parameters);
                }
                text.WriteLine($"], \"parameters\": {Encoding.UTF8.GetString(buffer.ToArray())}}}");
            }
            return ExitCodes.Success;
        }

        // The table: positions and velocities of the first particles, in the serial order.
        var positions = new double[held.Count * d];
        for (int i = 0; i < held.Count; i++)
        {
            for (int a = 0; a < d; a++)
            {
                positions[i * d + a] = held.Positions[a][i];
            }
        }
        var first = new List<double[]>();
        var firstVelocities = new List<double[]>();
        system.StreamInOrder(positions, d, (start, block) => Take(first, start, block, d));
        system.StreamInOrder(rows, d, (start, block) => Take(firstVelocities, start, block, d));
        if (communicator.Rank == 0)
        {
            long n = system.Count;
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"evaluator: {system.Evaluator.Name} on {communicator.Size} ranks   n = {n}   d = {d}   energy E_n = {energy:R}"));
            for (int i = 0; i < first.Count; i++)
            {
                var sign = system.AllSigns![i] > 0 ? "+" : "−";
                console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{i,6} {sign}  x = [{string.Join(", ", first[i].Select(x => x.ToString("F6", CultureInfo.InvariantCulture)))}]  " +
                    $"v = [{string.Join(", ", firstVelocities[i].Select(v => v.ToString("E6", CultureInfo.InvariantCulture)))}]"));
            }
            if (n > TableRows)
            {
                console.Out.WriteLine($"… {n - TableRows} more particles (use --json for all)");
            }
        }
        return ExitCodes.Success;
    }

    private static void Take(List<double[]> rows, long start, double[] block, int d)
    {
        for (long j = 0; j < block.Length / d && start + j < TableRows; j++)
        {
            rows.Add(block.AsSpan((int)j * d, d).ToArray());
        }
    }
}
