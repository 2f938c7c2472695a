using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;
using PureHDF;
using PureHDF.Selections;
using PureHDF.VOL.Native;

namespace HpcGB.Host.Output;

/// <summary>
/// Reads back a <c>trajectory.h5</c> written by <see cref="TrajectoryWriter"/> (layout documented there): one frame's
/// positions at a time through a hyperslab, so memory stays O(n·d). Every defect of the file is a
/// <see cref="SpecException"/> naming the file and the dataset (exit code 2 in the CLI).
/// </summary>
internal sealed class TrajectoryReader : IDisposable
{
    private readonly NativeFile _file;
    private readonly IH5Dataset _positions;

    private TrajectoryReader(string path, NativeFile file)
    {
        Path = path;
        _file = file;
        _positions = Dataset("positions");
        var dimensions = _positions.Space.Dimensions;
        if (dimensions.Length != 3 || dimensions[2] is < 1 or > 2)
        {
            throw Invalid("/positions", $"expected [frames × n × d] with d = 1 or 2, found [{string.Join(" × ", dimensions)}]");
        }
        Frames = (int)dimensions[0];
        Count = (int)dimensions[1];
        Dimension = (int)dimensions[2];
        Signs = Dataset("signs").Read<sbyte[]>();
        if (Signs.Length != Count || Signs.Any(s => s is not (1 or -1)))
        {
            throw Invalid("/signs", $"expected {Count} values of ±1");
        }
        Times = Dataset("time").Read<double[]>();
        if (Times.Length != Frames)
        {
            throw Invalid("/time", $"has {Times.Length} entries for {Frames} frames");
        }
        // Frames never reached (a cancelled or failed run) hold NaN times and come after the reached ones.
        FramesReached = Times.TakeWhile(double.IsFinite).Count();
        SpecJson = _file.AttributeExists("spec") ? _file.Attribute("spec").Read<string>() : null;
    }

    public string Path { get; }

    public int Frames { get; }

    /// <summary>Frames 0 … FramesReached − 1 hold positions.</summary>
    public int FramesReached { get; }

    public int Count { get; }

    public int Dimension { get; }

    public sbyte[] Signs { get; }

    public double[] Times { get; }

    /// <summary>The normalised spec the run was made from (null if the attribute is missing).</summary>
    public string? SpecJson { get; }

    /// <summary>The parsed <see cref="SpecJson"/> (null if the attribute is missing); a spec that does not parse is a
    /// <see cref="SpecException"/> naming the file.</summary>
    public SimulationSpec? Spec
    {
        get
        {
            if (SpecJson is null)
            {
                return null;
            }
            try
            {
                return SpecReader.Parse(SpecJson);
            }
            catch (Exception exception) when (exception is SpecException or System.Text.Json.JsonException)
            {
                throw Invalid("spec", $"the stored spec does not parse ({exception.Message})");
            }
        }
    }

    /// <summary>Opens <paramref name="path"/>; a missing or unreadable file is a <see cref="SpecException"/>.</summary>
    public static TrajectoryReader Open(string path) =>
        Hdf5Input.Open(path, "trajectory", file => new TrajectoryReader(path, file));

    /// <summary>
    /// The frame index for a user's choice: 0 … reached − 1 as given, −1 the last reached frame, −2 the one before, ….
    /// </summary>
    public int Resolve(int frame, string option)
    {
        int index = frame < 0 ? FramesReached + frame : frame;
        if (index < 0 || index >= FramesReached)
        {
            throw new SpecException(option, $"frame {frame} is out of range: {Path} has {FramesReached} frames with positions");
        }
        return index;
    }

    /// <summary>The particles of frame <paramref name="index"/> (positions wrapped into [0,1)).</summary>
    public ParticleState ReadFrame(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Frames);
        var selection = new HyperslabSelection(
            rank: 3, starts: [(ulong)index, 0, 0], blocks: [1, (ulong)Count, (ulong)Dimension]);
        double[] interleaved = _positions.Read<double[]>(fileSelection: selection);
        var positions = new double[Dimension][];
        for (int a = 0; a < Dimension; a++)
        {
            positions[a] = new double[Count];
            for (int i = 0; i < Count; i++)
            {
                double x = interleaved[i * Dimension + a];
                if (!double.IsFinite(x))
                {
                    throw Invalid("/positions", $"frame {index}, particle {i}, axis {a} is not finite ({x})");
                }
                positions[a][i] = x;
            }
        }
        return new ParticleState(positions, Signs);
    }

    public void Dispose() => _file.Dispose();

    private IH5Dataset Dataset(string name) =>
        _file.LinkExists(name) ? _file.Dataset(name) : throw Invalid("/" + name, "dataset missing");

    private SpecException Invalid(string dataset, string reason) => new($"{Path}:{dataset}", reason);
}
