using System.Diagnostics;
using HpcGB.Client.Wire;
using HpcGB.Engine.Simulation;
using HpcGB.Engine.Spec;
using HpcGB.Host.Cli;
using HpcGB.Host.Output;
using HpcGB.Interop;

namespace HpcGB.Host.Service;

/// <summary>
/// The server-side outputs of a run created with <c>{"outputs": NAME}</c>: the same trajectory.h5 (streamed frame by
/// frame) and summary.json as <c>hpcgb run</c> writes, in <c>Service:OutputDirectory/NAME</c>, so a run driven from
/// Python can be inspected later with <c>hpcgb distance</c>, h5py or <c>hpcgb movie</c>. The trajectory is closed and
/// the summary written when the run ends (finished, failed, cancelled) or is deleted.
/// </summary>
internal sealed class RunOutputFiles
{
    private readonly object _gate = new();
    private readonly string _directory;
    private readonly SimulationSpec _spec;
    private readonly SimulationRunner _runner;
    private readonly string _specJson;
    private readonly TrajectoryWriter _trajectory;
    private readonly List<FrameRecord> _frames = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private bool _closed;

    private RunOutputFiles(string directory, SimulationSpec spec, SimulationRunner runner)
    {
        _directory = directory;
        _spec = spec;
        _runner = runner;
        _specJson = SpecWriter.ToJson(spec);
        _trajectory = TrajectoryWriter.Create(
            Path.Combine(directory, RunPipeline.TrajectoryFile),
            new TrajectoryLayout(_specJson, spec.Time.Outputs, runner.State.Signs, spec.Dimension, runner.BoundDistance, spec.Outputs.Velocities));
    }

    /// <summary>The directory NAME names under <paramref name="root"/>, created empty; <see cref="RpcFault"/> for a name
    /// that is not a plain file name or a directory that already holds files.</summary>
    public static RunOutputFiles Create(string root, object? name, SimulationSpec spec, SimulationRunner runner)
    {
        const string field = "params[1].outputs";
        string text = WireValues.TryString(name) ?? throw RpcFault.InvalidParams($"{field}: expected a directory name, got {WireValues.Describe(name)}");
        if (text.Length is 0 or > 100 || text is "." or ".." || !text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw RpcFault.InvalidParams($"{field}: '{text}' must be 1 to 100 letters, digits, '.', '_' or '-' (a name, not a path)");
        }
        string directory = Path.Combine(Path.GetFullPath(root), text);
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw RpcFault.InvalidParams($"{field}: {directory} already holds files; choose another name");
        }
        try
        {
            Directory.CreateDirectory(directory);
            return new RunOutputFiles(directory, spec, runner);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RpcFault(ErrorCodes.RunFailed, $"{field}: cannot write in {directory}: {ex.Message}");
        }
    }

    /// <summary>Appends a frame (worker thread).</summary>
    public void Add(Frame frame)
    {
        var o = frame.Observables;
        var record = new FrameRecord(
            frame.Index, o.Time, o.Energy, o.MaxSpeed, (double[])o.Centroid.Clone(), o.BoundDipoles,
            o.AcceptedSteps, o.RejectedSteps, o.ForceEvaluations, _clock.Elapsed.TotalSeconds);
        lock (_gate)
        {
            if (!_closed)
            {
                _trajectory.Append(record, frame.State, frame.Velocity);
                _frames.Add(record);
            }
        }
    }

    /// <summary>Closes the trajectory and writes summary.json with <paramref name="status"/>; only the first call counts.</summary>
    public void Close(string status, string? error)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }
            _closed = true;
            _trajectory.Complete();
            string trajectory = Path.Combine(_directory, RunPipeline.TrajectoryFile);
            string summary = Path.Combine(_directory, RunPipeline.SummaryFile);
            SummaryWriter.Write(summary, new RunSummary(
                status, error, _specJson, _runner.Evaluator.Name, _runner.Evaluator.Parameters, _runner.IntegratorName,
                _runner.State.Signs, _spec.Dimension, _spec.Time.Outputs, _frames, _clock.Elapsed.TotalSeconds, [],
                Capabilities.Detect(), FontStatus.Detect(), [new("summary", summary), new("trajectory", trajectory)]));
        }
    }
}
