using HpcGB.Engine.Model;
using PureHDF;
using PureHDF.Selections;

namespace HpcGB.Host.Output;

/// <summary>What a trajectory file is sized and labelled for.</summary>
/// <param name="SpecJson">The normalised spec (the root attribute <c>spec</c>).</param>
/// <param name="Frames">Output frames planned (every dataset's first dimension).</param>
/// <param name="BoundDistance">The run's bound-dipole distance r_b (an attribute of <c>/bound_dipoles</c>).</param>
/// <param name="Velocities">Whether <c>/velocities</c> is written.</param>
internal sealed record TrajectoryLayout(string SpecJson, int Frames, sbyte[] Signs, int Dimension, double BoundDistance, bool Velocities);

/// <summary>
/// Streams a run into <c>trajectory.h5</c> (HDF5 through PureHDF, readable by h5py):
/// <list type="table">
/// <item><term>/time</term><description>[frames] float64, the output times</description></item>
/// <item><term>/positions</term><description>[frames × n × d] float64, wrapped into [0,1)</description></item>
/// <item><term>/velocities</term><description>[frames × n × d] float64, ẋ_i at each frame (only with <c>outputs.velocities</c>)</description></item>
/// <item><term>/signs</term><description>[n] int8, ±1</description></item>
/// <item><term>/energy, /max_speed</term><description>[frames] float64</description></item>
/// <item><term>/bound_dipoles, /accepted_steps, /rejected_steps, /force_evaluations</term><description>[frames] int64</description></item>
/// <item><term>/centroid</term><description>[frames × d] float64, Σ_i x_i over the unwrapped positions (a plain sum, not divided by n)</description></item>
/// <item><term>attribute spec</term><description>the normalised spec JSON (string) on the root group</description></item>
/// </list>
/// Every dataset carries <c>units</c> and <c>description</c> attributes. PureHDF can neither append to a file nor
/// resize a dataset, so every dataset is sized up front from the number of outputs and each frame is written into
/// its hyperslabs as it arrives: memory stays O(n·d) (one frame buffer) however many outputs there are. A resumed or
/// extended run writes a new file, copying the frames already done (<see cref="CopyFrom"/>) frame by frame. Frames
/// never reached (a cancelled or failed run) hold NaN in every float dataset and −1 in the integer ones.
/// </summary>
internal sealed class TrajectoryWriter : IDisposable
{
    private readonly TrajectoryLayout _layout;
    private readonly int _count;
    private readonly int _dimension;
    private readonly H5NativeWriter _writer;
    private readonly H5Dataset<double[]> _positions;
    private readonly H5Dataset<double[]>? _velocities;
    private readonly H5Dataset<double[]> _time;
    private readonly H5Dataset<double[]> _energy;
    private readonly H5Dataset<double[]> _maxSpeed;
    private readonly H5Dataset<double[]> _centroid;
    private readonly H5Dataset<long[]> _boundDipoles;
    private readonly H5Dataset<long[]> _acceptedSteps;
    private readonly H5Dataset<long[]> _rejectedSteps;
    private readonly H5Dataset<long[]> _forceEvaluations;
    private readonly double[] _frameBuffer;
    private bool _completed;

    private TrajectoryWriter(string path, TrajectoryLayout layout)
    {
        _layout = layout;
        _count = layout.Signs.Length;
        _dimension = layout.Dimension;
        ulong f = (ulong)layout.Frames, n = (ulong)_count, d = (ulong)_dimension;
        _positions = Dataset<double[]>([f, n, d], "1 (torus period)", "x_i wrapped into [0,1)^d, [frame, particle, axis]");
        _velocities = layout.Velocities
            ? Dataset<double[]>([f, n, d], "1 per unit time", "dx_i/dt at the frame's time, [frame, particle, axis]")
            : null;
        _time = Dataset<double[]>([f], "simulated time", "output time of each frame");
        _energy = Dataset<double[]>([f], "energy", "E_n(x) = 1/(2n²) Σ_ij b_i b_j V_δ(x_i − x_j) + 1/n Σ_i b_i U(x_i)");
        _maxSpeed = Dataset<double[]>([f], "1 per unit time", "max_i |dx_i/dt|");
        _centroid = Dataset<double[]>([f, d], "1 (torus period)", "Σ_i x_i over the unwrapped positions: a sum, not a mean; constant when U = 0 and F = 0");
        _boundDipoles = Dataset<long[]>([f], "count", "bound dipoles: mutual nearest ± pairs closer than bound_distance (docs/spec.md)");
        _boundDipoles.Attributes["bound_distance"] = layout.BoundDistance;
        _acceptedSteps = Dataset<long[]>([f], "count", "accepted integrator steps since t = 0");
        _rejectedSteps = Dataset<long[]>([f], "count", "rejected integrator steps since t = 0");
        _forceEvaluations = Dataset<long[]>([f], "count", "force evaluations since t = 0, the frames' energy evaluations included");

        var signs = new H5Dataset((sbyte[])layout.Signs.Clone());
        signs.Attributes["units"] = "1";
        signs.Attributes["description"] = "b_i = ±1";
        var file = new H5File
        {
            ["time"] = _time,
            ["positions"] = _positions,
            ["signs"] = signs,
            ["energy"] = _energy,
            ["max_speed"] = _maxSpeed,
            ["centroid"] = _centroid,
            ["bound_dipoles"] = _boundDipoles,
            ["accepted_steps"] = _acceptedSteps,
            ["rejected_steps"] = _rejectedSteps,
            ["force_evaluations"] = _forceEvaluations,
        };
        if (_velocities is not null)
        {
            file["velocities"] = _velocities;
        }
        file.Attributes["spec"] = layout.SpecJson;
        file.Attributes["engine_version"] = EngineInfo.Version;
        file.Attributes["dimension"] = _dimension;
        file.Attributes["particles"] = _count;
        file.Attributes["outputs"] = layout.Frames;
        _writer = file.BeginWrite(path);
        _frameBuffer = new double[_count * _dimension];
    }

    /// <summary>Frame 0's positions [axis][i] (wrapped) as <see cref="CopyFrom"/> found them; null before a copy.</summary>
    public double[][]? FirstFrame { get; private set; }

    /// <summary>Frames written so far (frame indices 0 … FramesWritten − 1).</summary>
    public int FramesWritten { get; private set; }

    /// <summary>Creates the file with every dataset sized for <paramref name="layout"/>'s frames.</summary>
    public static TrajectoryWriter Create(string path, TrajectoryLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentOutOfRangeException.ThrowIfLessThan(layout.Frames, 1);
        return new TrajectoryWriter(path, layout);
    }

    /// <summary>A file without velocities or a bound distance (tests, tools that write states of their own).</summary>
    public static TrajectoryWriter Create(string path, string specJson, int frames, sbyte[] signs, int dimension) =>
        Create(path, new TrajectoryLayout(specJson, frames, signs, dimension, double.NaN, Velocities: false));

    /// <summary>Writes frame <paramref name="index"/>, which must be the next one, without velocities.</summary>
    public void Append(int index, FrameRecord record, ParticleState state) => Append(record with { Index = index }, state, null);

    /// <summary>Writes the next output frame: positions wrapped into [0,1), the velocities if the file has them.</summary>
    public void Append(FrameRecord record, ParticleState state, double[][]? velocity)
    {
        int index = record.Index;
        if (index != FramesWritten || index >= _layout.Frames)
        {
            throw new ArgumentOutOfRangeException(
                nameof(record), index, $"expected frame {FramesWritten} of a file sized for {_layout.Frames} frames");
        }
        Interleave(state.Positions, wrap: true);
        WriteFrame(_positions, index, _frameBuffer);
        if (_velocities is not null)
        {
            Interleave(velocity ?? throw new ArgumentNullException(nameof(velocity), "this trajectory records velocities"), wrap: false);
            WriteFrame(_velocities, index, _frameBuffer);
        }
        WriteSeries(record);
    }

    /// <summary>
    /// Writes rows <paramref name="first"/> … of frame <paramref name="index"/>'s positions (already wrapped, [count × d]
    /// row-major), for a run whose particles arrive block by block (a distributed run streams them to rank 0 in the
    /// serial order); <see cref="CompleteFrame"/> then writes the frame's series.
    /// </summary>
    public void WritePositions(int index, long first, double[] rows) => WriteBlock(_positions, index, first, rows);

    /// <summary>The same for the velocities (the file must record them).</summary>
    public void WriteVelocities(int index, long first, double[] rows) =>
        WriteBlock(_velocities ?? throw new InvalidOperationException("this trajectory records no velocities"), index, first, rows);

    /// <summary>Ends a frame written block by block: its time, energy and the other series.</summary>
    public void CompleteFrame(FrameRecord record)
    {
        if (record.Index != FramesWritten || record.Index >= _layout.Frames)
        {
            throw new ArgumentOutOfRangeException(
                nameof(record), record.Index, $"expected frame {FramesWritten} of a file sized for {_layout.Frames} frames");
        }
        WriteSeries(record);
    }

    private void WriteBlock(H5Dataset<double[]> dataset, int index, long first, double[] rows)
    {
        long count = rows.Length / _dimension;
        if (index != FramesWritten || index >= _layout.Frames || first < 0 || first + count > _count || rows.Length % _dimension != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(first), $"rows {first} … {first + count} of frame {index} do not fit (next frame {FramesWritten}, {_count} particles)");
        }
        if (count > 0)
        {
            _writer.Write(dataset, rows, fileSelection: new HyperslabSelection(
                rank: 3, starts: [(ulong)index, (ulong)first, 0], blocks: [1, (ulong)count, (ulong)_dimension]));
        }
    }

    /// <summary>
    /// Copies frames 0 … <paramref name="frames"/> − 1 of an earlier trajectory of the same run (a resumed or extended
    /// one), one frame at a time, and returns their records (wall seconds NaN: the file holds no clock times, so that
    /// identical runs give identical files). Throws <see cref="InvalidDataException"/> naming what
    /// does not fit.
    /// </summary>
    public IReadOnlyList<FrameRecord> CopyFrom(string path, int frames)
    {
        if (FramesWritten != 0)
        {
            throw new InvalidOperationException("copy the earlier frames before appending new ones");
        }
        using var source = H5File.OpenRead(path);
        var positions = source.Dataset("positions");
        var dims = positions.Space.Dimensions;
        if (dims.Length != 3 || dims[1] != (ulong)_count || dims[2] != (ulong)_dimension || dims[0] < (ulong)frames)
        {
            throw new InvalidDataException(
                $"{path}: /positions is [{string.Join(" × ", dims)}]; the run needs {frames} frames of {_count} × {_dimension}");
        }
        var velocities = _velocities is not null && source.LinkExists("velocities") ? source.Dataset("velocities") : null;
        var time = source.Dataset("time").Read<double[]>();
        var energy = source.Dataset("energy").Read<double[]>();
        var maxSpeed = source.Dataset("max_speed").Read<double[]>();
        var centroid = source.Dataset("centroid").Read<double[]>();
        var bound = source.Dataset("bound_dipoles").Read<long[]>();
        var accepted = source.Dataset("accepted_steps").Read<long[]>();
        var rejected = source.Dataset("rejected_steps").Read<long[]>();
        var evaluations = source.Dataset("force_evaluations").Read<long[]>();

        var records = new List<FrameRecord>(frames);
        for (int k = 0; k < frames; k++)
        {
            var selection = FrameSelection(k);
            double[] frame = positions.Read<double[]>(fileSelection: selection);
            WriteFrame(_positions, k, frame);
            if (k == 0)
            {
                FirstFrame = Enumerable.Range(0, _dimension)
                    .Select(a => Enumerable.Range(0, _count).Select(i => frame[i * _dimension + a]).ToArray()).ToArray();
            }
            if (_velocities is not null)
            {
                // Velocities switched on at resume: the earlier frames have none.
                double[] values = velocities?.Read<double[]>(fileSelection: selection) ?? Filled(_frameBuffer.Length, double.NaN);
                WriteFrame(_velocities, k, values);
            }
            var record = new FrameRecord(
                k, time[k], energy[k], maxSpeed[k], centroid.AsSpan(k * _dimension, _dimension).ToArray(), bound[k],
                accepted[k], rejected[k], evaluations[k], WallSeconds: double.NaN);
            WriteSeries(record);
            records.Add(record);
        }
        return records;
    }

    /// <summary>Fills frames never reached with NaN (−1 for counts) and closes the file.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }
        _completed = true;
        int reached = FramesWritten;
        int missing = _layout.Frames - reached;
        if (missing > 0)
        {
            Array.Fill(_frameBuffer, double.NaN);
            for (int index = reached; index < _layout.Frames; index++)
            {
                WriteFrame(_positions, index, _frameBuffer);
                if (_velocities is not null)
                {
                    WriteFrame(_velocities, index, _frameBuffer);
                }
            }
            var nan = Filled(missing, double.NaN);
            var none = Filled(missing, -1L);
            foreach (var series in new[] { _time, _energy, _maxSpeed })
            {
                _writer.Write(series, nan, fileSelection: Range(reached, missing));
            }
            _writer.Write(_centroid, Filled(missing * _dimension, double.NaN),
                fileSelection: new HyperslabSelection(rank: 2, starts: [(ulong)reached, 0], blocks: [(ulong)missing, (ulong)_dimension]));
            foreach (var series in new[] { _boundDipoles, _acceptedSteps, _rejectedSteps, _forceEvaluations })
            {
                _writer.Write(series, none, fileSelection: Range(reached, missing));
            }
        }
        _writer.Dispose();
    }

    public void Dispose() => Complete();

    /// <summary>Closes the file without writing anything more, after a failed write (disk full): it is to be deleted.</summary>
    public void Abandon()
    {
        _completed = true;
        try
        {
            _writer.Dispose();
        }
        catch (Exception ex) when (ex is IOException or System.Reflection.TargetInvocationException)
        {
            // Flushing failed the same way the write did; the caller reports that one.
        }
    }

    private static H5Dataset<T> Dataset<T>(ulong[] dims, string units, string description)
    {
        var dataset = new H5Dataset<T>(fileDims: dims);
        dataset.Attributes["units"] = units;
        dataset.Attributes["description"] = description;
        return dataset;
    }

    private void WriteSeries(FrameRecord record)
    {
        int index = record.Index;
        var one = Range(index, 1);
        _writer.Write(_time, [record.Time], fileSelection: one);
        _writer.Write(_energy, [record.Energy], fileSelection: one);
        _writer.Write(_maxSpeed, [record.MaxSpeed], fileSelection: one);
        _writer.Write(_centroid, record.Centroid,
            fileSelection: new HyperslabSelection(rank: 2, starts: [(ulong)index, 0], blocks: [1, (ulong)_dimension]));
        _writer.Write(_boundDipoles, [record.BoundDipoles], fileSelection: one);
        _writer.Write(_acceptedSteps, [record.AcceptedSteps], fileSelection: one);
        _writer.Write(_rejectedSteps, [record.RejectedSteps], fileSelection: one);
        _writer.Write(_forceEvaluations, [record.ForceEvaluations], fileSelection: one);
        FramesWritten = index + 1;
    }

    /// <summary>[axis][i] into the file's row-major [n × d] layout.</summary>
    private void Interleave(double[][] axes, bool wrap)
    {
        for (int a = 0; a < _dimension; a++)
        {
            var axis = axes[a];
            for (int i = 0; i < _count; i++)
            {
                _frameBuffer[i * _dimension + a] = wrap ? Torus.Wrap(axis[i]) : axis[i];
            }
        }
    }

    private void WriteFrame(H5Dataset<double[]> dataset, int index, double[] buffer) =>
        _writer.Write(dataset, buffer, fileSelection: FrameSelection(index));

    private HyperslabSelection FrameSelection(int index) =>
        new(rank: 3, starts: [(ulong)index, 0, 0], blocks: [1, (ulong)_count, (ulong)_dimension]);

    private static HyperslabSelection Range(int start, int length) =>
        new(rank: 1, starts: [(ulong)start], blocks: [(ulong)length]);

    private static T[] Filled<T>(int length, T value)
    {
        var array = new T[length];
        Array.Fill(array, value);
        return array;
    }
}
