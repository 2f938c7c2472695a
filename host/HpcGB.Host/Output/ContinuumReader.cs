using HpcGB.Engine.Continuum;
using HpcGB.Engine.Spec;
using PureHDF;
using PureHDF.Selections;
using PureHDF.VOL.Native;

namespace HpcGB.Host.Output;

/// <summary>
/// Reads back a <c>continuum.h5</c> written by <see cref="ContinuumWriter"/> (layout documented there): the times,
/// the grid and the spec at once, the densities one frame at a time through a hyperslab. Every defect of the file is
/// a <see cref="SpecException"/> naming the file and the dataset (exit code 2 in the CLI).
/// </summary>
internal sealed class ContinuumReader : IDisposable
{
    private readonly NativeFile _file;
    private readonly IH5Dataset _positive;
    private readonly IH5Dataset _negative;

    private ContinuumReader(string path, NativeFile file)
    {
        Path = path;
        _file = file;
        _positive = Dataset("positive");
        _negative = Dataset("negative");
        var dimensions = _positive.Space.Dimensions;
        if (dimensions.Length is not (2 or 3) || !_negative.Space.Dimensions.SequenceEqual(dimensions))
        {
            throw Invalid("/positive", $"expected [frames × M] or [frames × M1 × M2] matching /negative, found [{string.Join(" × ", dimensions)}]");
        }
        Frames = (int)dimensions[0];
        Grid = new ContinuumGrid(dimensions.Skip(1).Select(m => (int)m).ToArray());
        Times = Dataset("time").Read<double[]>();
        if (Times.Length != Frames)
        {
            throw Invalid("/time", $"has {Times.Length} entries for {Frames} frames");
        }
        // Frames never reached (a cancelled or failed run) hold NaN times and come after the reached ones.
        FramesReached = Times.TakeWhile(double.IsFinite).Count();
        if (!_file.AttributeExists("spec"))
        {
            throw Invalid("spec", "attribute missing");
        }
        SpecJson = _file.Attribute("spec").Read<string>();
        RunSpec parsed;
        try
        {
            parsed = SpecReader.ParseRun(SpecJson);
        }
        catch (Exception exception) when (exception is SpecException or System.Text.Json.JsonException)
        {
            throw Invalid("spec", $"the stored spec does not parse ({exception.Message})");
        }
        Spec = parsed as ContinuumSpec ?? throw Invalid("spec", "is not a continuum spec");
    }

    public string Path { get; }

    public int Frames { get; }

    /// <summary>Frames 0 … FramesReached − 1 hold densities.</summary>
    public int FramesReached { get; }

    public ContinuumGrid Grid { get; }

    public double[] Times { get; }

    public string SpecJson { get; }

    public ContinuumSpec Spec { get; }

    /// <summary>Opens <paramref name="path"/>; a missing or unreadable file is a <see cref="SpecException"/>.</summary>
    public static ContinuumReader Open(string path) =>
        Hdf5Input.Open(path, "continuum", file => new ContinuumReader(path, file));

    /// <summary>The cell densities ρ⁺, ρ⁻ of frame <paramref name="index"/> (x1 slowest, as the solver stores them).</summary>
    public (double[] Positive, double[] Negative) ReadFrame(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Frames);
        return (Read(_positive, "/positive", index), Read(_negative, "/negative", index));
    }

    public void Dispose() => _file.Dispose();

    private double[] Read(IH5Dataset dataset, string name, int index)
    {
        int rank = Grid.Dimension + 1;
        ulong[] starts = new ulong[rank];
        starts[0] = (ulong)index;
        ulong[] blocks = [1, .. Grid.Shape.Select(m => (ulong)m)];
        double[] values = dataset.Read<double[]>(fileSelection: new HyperslabSelection(rank, starts, blocks));
        for (int c = 0; c < values.Length; c++)
        {
            if (!double.IsFinite(values[c]))
            {
                throw Invalid(name, $"frame {index}, cell {c} is not finite ({values[c]})");
            }
        }
        return values;
    }

    private IH5Dataset Dataset(string name) =>
        _file.LinkExists(name) ? _file.Dataset(name) : throw Invalid("/" + name, "dataset missing");

    private SpecException Invalid(string dataset, string reason) => new($"{Path}:{dataset}", reason);
}
