using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Initialization;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;
using HpcGB.Host.Output;
using Spectre.Console;

namespace HpcGB.Host.Cli;

/// <summary>
/// <c>hpcgb forces SPEC.json [--method M] [--json]</c>: energy and velocities of the spec's initial configuration
/// (its <c>time</c> block is ignored). With <c>--json</c> it prints exactly
/// <c>{"energy": E, "velocities": [[v1, v2], …]}</c> (1D: <c>[[v], …]</c>), particles in input order, every number in
/// shortest round-trip form ("R"), so a reader recovers the doubles bit for bit.
/// </summary>
internal static class ForcesCommand
{
    private const int TableRows = 10;

    public static Command Create(CliConsole console)
    {
        var spec = new Argument<string>("spec") { Description = "The simulation spec (JSON); its time block is ignored" };
        var method = new Option<string?>("--method", "-m")
        {
            Description = "Force method, overriding the spec's forces.method",
        };
        method.AcceptOnlyFromAmong(Enum.GetNames<ForceMethod>().Select(n => n.ToLowerInvariant()).ToArray());
        var json = new Option<bool>("--json") { Description = "Print {\"energy\": E, \"velocities\": [[…], …]}" };
        var command = new Command("forces", "Evaluate energy and velocities of a spec's initial configuration")
        {
            spec,
            method,
            json,
        };
        command.SetAction((parseResult, cancellationToken) => CommandAction.Run(console, parseResult, cancellationToken, _ =>
        {
            SimulationSpec Load()
            {
                var loaded = SpecLoader.Load(parseResult.GetValue(spec)!);
                if (parseResult.GetValue(method) is not { } name)
                {
                    return loaded;
                }
                var overridden = loaded with { Forces = loaded.Forces with { Method = Enum.Parse<ForceMethod>(name, ignoreCase: true) } };
                SpecLoader.CheckCost(overridden); // the spec's own method was checked by the loader
                return overridden;
            }
            if (Distributed.DistributedCommand.IsActive)
            {
                return Distributed.DistributedCommand.Run(console, parseResult.GetValue(HpcgbCli.Verbose),
                    (communicator, own) => Distributed.DistributedForces.Execute(own, communicator, Load(), parseResult.GetValue(json)));
            }
            var simulation = Load();
            var forces = simulation.Forces;
            var state = InitialConditions.Create(simulation);
            var evaluator = ForceEvaluatorFactory.Create(simulation.System, forces, state.Count);
            var velocity = state.NewVectors();
            double energy = evaluator.Evaluate(state, velocity, withEnergy: true);
            if (parseResult.GetValue(json))
            {
                console.Out.WriteLine(ToJson(energy, velocity, evaluator.Parameters));
            }
            else
            {
                WriteTable(console, evaluator.Name, state, velocity, energy);
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary><c>{"energy": E, "velocities": [[v1, v2], …], "parameters": {…}}</c> with round-trip numbers.</summary>
    internal static string ToJson(double energy, double[][] velocity, IReadOnlyDictionary<string, object> parameters)
    {
        int d = velocity.Length;
        int n = velocity[0].Length;
        var text = new StringBuilder(32 + n * d * 26);
        text.Append("{\"energy\": ").Append(JsonOutput.RoundTrip(energy)).Append(", \"velocities\": [");
        for (int i = 0; i < n; i++)
        {
            text.Append(i == 0 ? "[" : ", [");
            for (int a = 0; a < d; a++)
            {
                if (a > 0)
                {
                    text.Append(", ");
                }
                text.Append(JsonOutput.RoundTrip(velocity[a][i]));
            }
            text.Append(']');
        }
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            JsonOutput.WriteParameters(writer, parameters);
        }
        return text.Append("], \"parameters\": ").Append(Encoding.UTF8.GetString(buffer.ToArray())).Append('}').ToString();
    }

    private static void WriteTable(CliConsole console, string evaluator, ParticleState state, double[][] velocity, double energy)
    {
        int d = state.Dimension;
        int n = state.Count;
        console.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture, $"evaluator: {evaluator}   n = {n}   d = {d}   energy E_n = {energy:R}"));
        var table = new Table().Border(TableBorder.Rounded).AddColumn("i").AddColumn("sign");
        string[] axes = d == 1 ? ["x"] : ["x₁", "x₂"];
        foreach (string axis in axes)
        {
            table.AddColumn(axis);
        }
        foreach (string axis in axes)
        {
            table.AddColumn($"v({axis})");
        }
        for (int i = 0; i < Math.Min(n, TableRows); i++)
        {
            var row = new List<string> { i.ToString(CultureInfo.InvariantCulture), state.Signs[i] > 0 ? "+" : "−" };
            for (int a = 0; a < d; a++)
            {
                row.Add(state.Positions[a][i].ToString("F6", CultureInfo.InvariantCulture));
            }
            for (int a = 0; a < d; a++)
            {
                row.Add(velocity[a][i].ToString("E6", CultureInfo.InvariantCulture));
            }
            table.AddRow(row.ToArray());
        }
        Tables.Write(console, table);
        if (n > TableRows)
        {
            console.Out.WriteLine($"… {n - TableRows} more particles (use --json for all)");
        }
    }
}
