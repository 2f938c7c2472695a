using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using HpcGB.Host.Cli;
using HpcGB.Host.Sweeps;

namespace HpcGB.Host.Experiments;

/// <summary>One particle-vs-PDE run of an experiment, identified by <paramref name="Label"/> (e.g. "2d-log n=4000").</summary>
internal sealed record ExperimentTask(string Label, int Particles, Func<CancellationToken, ComparisonRow> Run);

/// <summary>
/// Runs an experiment's runs through the sweep machinery (<see cref="SweepExecution"/>): serially, or across the
/// ranks of an MPI job, largest first; each finished run is kept in <c>DIR/runs/&lt;i&gt;/row.json</c>, so that a
/// rerun into the same directory skips it. Returns every row in task order on the coordinating rank, null on the
/// other ranks (which write nothing).
/// </summary>
internal static class ExperimentRuns
{
    public static IReadOnlyList<ComparisonRow>? Execute(
        IReadOnlyList<ExperimentTask> tasks, string directory, TextWriter log, CancellationToken cancellationToken)
    {
        var work = new Work(tasks, directory, log);
        var console = new CliConsole(TextWriter.Null, log, Interactive: false, HandleTermination: false);
        return SweepExecution.Run(work, console, cancellationToken) is null ? null : work.Rows;
    }

    private sealed class Work(IReadOnlyList<ExperimentTask> tasks, string directory, TextWriter log) : ISweepWork
    {
        private const string RowFile = "row.json";

        private static readonly JsonSerializerOptions Options = new()
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };

        private readonly ComparisonRow?[] _rows = new ComparisonRow?[tasks.Count];

        public IReadOnlyList<ComparisonRow> Rows => _rows.Select((r, i) => r ?? throw new InvalidOperationException($"{tasks[i].Label}: no result")).ToArray();

        public int Count => tasks.Count;

        public double Cost(int index) => tasks[index].Particles * Math.Log(tasks[index].Particles + 1.0);

        public byte[]? Completed(int index)
        {
            string path = Path.Combine(RunDirectory(index), RowFile);
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(path));
                // A row kept by an older version (no distances over time) is run again.
                return document.RootElement.GetProperty("label").GetString() == tasks[index].Label
                    && document.RootElement.GetProperty("row").Deserialize<ComparisonRow>(Options) is { Distances.Length: > 0 } row
                    ? JsonSerializer.SerializeToUtf8Bytes(row, Options)
                    : null;
            }
            catch (Exception exception) when (exception is IOException or JsonException or KeyNotFoundException or InvalidOperationException)
            {
                return null;
            }
        }

        public byte[] Execute(int index, CancellationToken cancellationToken)
        {
            var row = tasks[index].Run(cancellationToken);
            string run = RunDirectory(index);
            Directory.CreateDirectory(run);
            string path = Path.Combine(run, RowFile);
            using (var stream = File.Create(path + ".tmp"))
            {
                JsonSerializer.Serialize(stream, new { label = tasks[index].Label, row }, Options);
            }
            File.Move(path + ".tmp", path, overwrite: true);
            return JsonSerializer.SerializeToUtf8Bytes(row, Options);
        }

        /// <summary>A run that throws ends the experiment: its table needs every row.</summary>
        public byte[] Failure(int index, string message) => throw new InvalidOperationException($"{tasks[index].Label}: {message}");

        public bool Record(int index, byte[] result)
        {
            var row = JsonSerializer.Deserialize<ComparisonRow>(result, Options)!;
            _rows[index] = row;
            log.WriteLine(ExperimentLog.Line(row));
            return true;
        }

        public void Publish(SweepTiming? timing)
        {
            if (timing is not null)
            {
                log.WriteLine(SweepTables.Timing(timing));
            }
        }

        private string RunDirectory(int index) => Path.Combine(directory, "runs", index.ToString(CultureInfo.InvariantCulture));
    }
}
