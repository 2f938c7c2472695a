using HpcGB.Engine.Model;
using PureHDF;
using PureHDF.Selections;

namespace HpcGB.Host.Output;

/// <summary>
/// Streams a run into <c>trajectory.h5</c> (HDF5 through PureHDF, readable by h5py):
/// <list type="table">
/// <item><term>/time</term><description>[frames] float64, the output times</description></item>
/// <item><term>/positions</term><description>[frames × n × d] float64, wrapped into [0,1)</description></item>
/// <item><term>/signs</term><description>[n] int8, ±1</description></item>
/// <item><term>/energy, /max_speed</term><description>[frames] float64</description></item>
/// <item><term>/bound_dipoles, /accepted_steps, /rejected_steps, /force_evaluations</term><description>[frames] int64</description></item>
/// <item><term>/centroid</term><description>[frames × d] float64, Σ_i x_i over the unwrapped positions (a plain sum, not divided by n)</description></item>
/// <item><term>attribute spec</term><description>the normalised spec JSON (string) on the root group</description></item>
/// </list>
/// PureHDF cannot append, so every dataset is sized up front from the number of outputs and each frame's positions
/// are written into their hyperslab as the frame arrives: memory stays O(n·d) (one frame buffer) however many
/// outputs there are; the file holds frames·n·d·8 bytes of positions. The small per-frame series are kept in memory
/// and written by <see cref="Complete"/>. Frames never reached (a cancelled or failed run) hold NaN in every float
/// dataset and −1 in the integer ones.
/// </summary>
internal sealed class TrajectoryWriter : IDisposable
{
    private readonly int _frames;
    private readonly int _count;
    private readonly int _dimension;
    private readonly H5NativeWriter _writer;
    private readonly H5Dataset<double[]> _positions;
    private readonly H5Dataset<double[]> _time;
    private readonly H5Dataset<double[]> _energy;
    private readonly H5Dataset<double[]> _maxSpeed;
    private readonly H5Dataset<double[]> _centroid;
    private readonly H5Dataset<long[]> _boundDipoles;
    private readonly H5Dataset<long[]> _acceptedSteps;
    private readonly H5Dataset<long[]> _rejectedSteps;
    private readonly H5Dataset<long[]> _forceEvaluations;
    private readonly double[] _frameBuffer;
    private readonly double[] _timeValues;
    private readonly double[] _energyValues;
    private readonly double[] _maxSpeedValues;
    private readonly double[] _centroidValues;
    private readonly long[] _boundDipoleValues;
    private readonly long[] _acceptedValues;
    private readonly long[] _rejectedValues;
    private readonly long[] _evaluationValues;
    private bool _completed;

    private TrajectoryWriter(string path, string specJson, int frames, sbyte[] signs, int dimension)
    {
        _frames = frames;
        _count = signs.Length;
        _dimension = dimension;
        ulong f = (ulong)frames;
        _positions = new H5Dataset<double[]>(fileDims: [f, (ulong)_count, (ulong)dimension]);
        _time = new H5Dataset<double[]>(fileDims: [f]);
        _energy = new H5Dataset<double[]>(fileDims: [f]);
        _maxSpeed = new H5Dataset<double[]>(fileDims: [f]);
        _centroid = new H5Dataset<double[]>(fileDims: [f, (ulong)dimension]);
        _boundDipoles = new H5Dataset<long[]>(fileDims: [f]);
        _acceptedSteps = new H5Dataset<long[]>(fileDims: [f]);
        _rejectedSteps = new H5Dataset<long[]>(fileDims: [f]);
        _forceEvaluations = new H5Dataset<long[]>(fileDims: [f]);

        var file = new H5File
        {
            ["time"] = _time,
            ["positions"] = _positions,
            ["signs"] = (sbyte[])signs.Clone(),
            ["energy"] = _energy,
            ["max_speed"] = _maxSpeed,
            ["centroid"] = _centroid,
            ["bound_dipoles"] = _boundDipoles,
            ["accepted_steps"] = _acceptedSteps,
            ["rejected_steps"] = _rejectedSteps,
            ["force_evaluations"] = _forceEvaluations,
        };
        file.Attributes["spec"] = specJson;
        file.Attributes["engine_version"] = EngineInfo.Version;
        file.Attributes["dimension"] = dimension;
        file.Attributes["particles"] = _count;
        file.Attributes["outputs"] = frames;
        _writer = file.BeginWrite(path);

        _frameBuffer = new double[_count * dimension];
        _timeValues = Filled(frames, double.NaN);
        _energyValues = Filled(frames, double.NaN);
        _maxSpeedValues = Filled(frames, double.NaN);
        _centroidValues = Filled(frames * dimension, double.NaN);
        _boundDipoleValues = Filled(frames, -1L);
        _acceptedValues = Filled(frames, -1L);
        _rejectedValues = Filled(frames, -1L);
        _evaluationValues = Filled(frames, -1L);
    }

    /// <summary>Frames written so far (frame indices 0 … FramesWritten − 1).</summary>
    public int FramesWritten { get; private set; }

    /// <summary>Creates the file with every dataset sized for <paramref name="frames"/> outputs.</summary>
    public static TrajectoryWriter Create(string path, string specJson, int frames, sbyte[] signs, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frames, 1);
        return new TrajectoryWriter(path, specJson, frames, signs, dimension);
    }

    /// <summary>Writes one output frame: positions wrapped into [0,1), observables kept for <see cref="Complete"/>.</summary>
    public void Append(int index, FrameRecord record, ParticleState state)
    {
        if (index < 0 || index >= _frames)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"the file was sized for {_frames} frames");
        }
        // Interleave into the file's row-major [n × d] layout.
        for (int a = 0; a < _dimension; a++)
        {
            var axis = state.Positions[a];
            for (int i = 0; i < _count; i++)
            {
                _frameBuffer[i * _dimension + a] = Torus.Wrap(axis[i]);
            }
        }
        WritePositions(index, _frameBuffer);

        _timeValues[index] = record.Time;
        _energyValues[index] = record.Energy;
        _maxSpeedValues[index] = record.MaxSpeed;
        for (int a = 0; a < _dimension; a++)
        {
            _centroidValues[index * _dimension + a] = record.Centroid[a];
        }
        _boundDipoleValues[index] = record.BoundDipoles;
        _acceptedValues[index] = record.AcceptedSteps;
        _rejectedValues[index] = record.RejectedSteps;
        _evaluationValues[index] = record.ForceEvaluations;
        FramesWritten = Math.Max(FramesWritten, index + 1);
    }

    /// <summary>Fills frames never reached with NaN, writes the per-frame series and closes the file.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }
        _completed = true;
        if (FramesWritten < _frames)
        {
            Array.Fill(_frameBuffer, double.NaN);
            for (int index = FramesWritten; index < _frames; index++)
            {
                WritePositions(index, _frameBuffer);
            }
        }
        _writer.Write(_time, _timeValues);
        _writer.Write(_energy, _energyValues);
        _writer.Write(_maxSpeed, _maxSpeedValues);
        _writer.Write(_centroid, _centroidValues);
        _writer.Write(_boundDipoles, _boundDipoleValues);
        _writer.Write(_acceptedSteps, _acceptedValues);
        _writer.Write(_rejectedSteps, _rejectedValues);
        _writer.Write(_forceEvaluations, _evaluationValues);
        _writer.Dispose();
    }

    public void Dispose() => Complete();

    private void WritePositions(int index, double[] buffer)
    {
        var selection = new HyperslabSelection(
            rank: 3, starts: [(ulong)index, 0, 0], blocks: [1, (ulong)_count, (ulong)_dimension]);
        _writer.Write(_positions, buffer, fileSelection: selection);
    }

    private static T[] Filled<T>(int length, T value)
    {
        var array = new T[length];
        Array.Fill(array, value);
        return array;
    }
}
