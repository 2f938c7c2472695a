using System.Diagnostics;
using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Model;
using HpcGB.Interop.OpenCl;

namespace HpcGB.Engine.Forces.OpenCl;

/// <summary>
/// The Ewald evaluation (near field on cell lists + smooth PME) on an OpenCL device in double precision, with the
/// CPU path's split, parameters, influence function, B-spline tables and energy assembly (<see cref="EwaldEvaluator"/>
/// is its CPU twin). Positions, sorted copies, mesh and work buffers stay on the device between evaluations; per
/// evaluation the positions go up (and the signs when the array changes), the velocities come down, and with
/// energy a few hundred partial sums. Every reduction has a fixed order, so repeated evaluations on one device are
/// bit-identical. One evaluation at a time per instance.
/// </summary>
public sealed class OpenClEwaldEvaluator : IForceEvaluator, IDisposable
{
    /// <summary>Work-items of the energy reductions (each sums a contiguous chunk in order; the host sums them in order).</summary>
    private const int ReductionParts = 256;

    private readonly EwaldSplit _split;
    private readonly double _shortSelf;
    private readonly double _longAtZero;
    private readonly ClQueue _queue;
    private readonly ClKernel _partialSums;
    private readonly ClBuffer<double> _partials;
    private readonly double[] _hostPartials = new double[ReductionParts];
    private Buffers? _buffers;
    private sbyte[]? _uploadedSigns;

    /// <param name="model">The system.</param>
    /// <param name="parameters">σ, r_c, M, p (from <see cref="EwaldParameterChooser"/>).</param>
    /// <param name="device">A device with double precision (<see cref="OpenClPlatforms.Select"/>).</param>
    /// <exception cref="OpenClException">The device refused a program, buffer or FFT plan.</exception>
    public OpenClEwaldEvaluator(SystemModel model, EwaldParameters parameters, OpenClDevice device)
    {
        if (!device.Fp64)
        {
            throw new OpenClUnavailableException(OpenClProblem.NoDoublePrecision, $"OpenCL device {device.Description} has no double precision (cl_khr_fp64)");
        }
        Model = model;
        Settings = parameters;
        Device = device;
        _split = parameters.MeshOnly ? EwaldSplit.MeshOnly(model) : EwaldSplit.Create(model, parameters.Sigma);
        // The self term n·short(0) from the CPU's operator (whose constructor also checks σ, δ and r_c).
        var shortOperator = _split.ShortRange?.Create(parameters.Sigma, model.Delta, parameters.Cutoff);
        _shortSelf = _split.SelfIncluded && shortOperator is not null ? shortOperator.Potential(0, 0, 0) : 0;
        _longAtZero = _split.SelfIncluded ? 0 : _split.LongAtZero();
        Interop.OpenCl.VkFft.ClRealFft.EnsureAvailable();
        _queue = ClContext.Shared(device).CreateQueue();
        _partials = _queue.Context.CreateBuffer<double>(ReductionParts);
        _partialSums = DevicePrograms.Sort(_queue.Context).CreateKernel("partial_sums");
    }

    public string Name => "pme";

    public SystemModel Model { get; }

    /// <summary>The chosen σ, r_c, M, p.</summary>
    public EwaldParameters Settings { get; }

    /// <summary>The device the evaluation runs on.</summary>
    public OpenClDevice Device { get; }

    /// <summary>Finish the queue after every stage and record <see cref="LastTimings"/> (for benchmarks: it costs a little).</summary>
    public bool ProfileStages { get; set; }

    /// <summary>The stages of the last evaluation when <see cref="ProfileStages"/> is on.</summary>
    public OpenClStageTimings LastTimings { get; private set; }

    /// <summary>Near-field cells per axis and PME tiles per axis of the last evaluation (0 before the first).</summary>
    public (int Cells, int Tiles) Grids => (_buffers?.Near?.CellsPerAxis ?? 0, _buffers?.Mesh.Tiles ?? 0);

    public IReadOnlyDictionary<string, object> Parameters =>
        Settings.Describe(
            Name, ("device", "opencl"), ("opencl_platform", Device.Platform), ("opencl_device", Device.Index),
            ("device_name", Device.Name), ("device_vendor", Device.Vendor), ("device_driver", Device.Driver));

    public double Evaluate(ParticleState state, double[][] velocity, bool withEnergy)
    {
        int n = state.Count;
        if (n == 0)
        {
            return ExternalField.Apply(Model, state, velocity, withEnergy ? 0.0 : double.NaN);
        }
        var buffers = Prepare(n);
        var clock = new StageClock(_queue, ProfileStages);

        // Positions (in any image: the device wraps them) up; signs only when the array changes.
        _queue.Write(buffers.X1, state.Positions[0]);
        if (state.Dimension == 2)
        {
            _queue.Write(buffers.X2, state.Positions[1]);
        }
        if (!ReferenceEquals(_uploadedSigns, state.Signs))
        {
            _queue.Write(buffers.Signs, state.Signs);
            _uploadedSigns = state.Signs;
        }
        double upload = clock.Lap();

        buffers.Near?.Bin();
        buffers.Mesh.Bin();
        double binning = clock.Lap();

        buffers.Near?.Pairs(withEnergy);
        double nearField = clock.Lap();

        buffers.Mesh.Spread();
        double spread = clock.Lap();

        buffers.Mesh.Transform(withEnergy);
        double fft = clock.Lap();

        buffers.Mesh.Gather(buffers.Near, buffers.Velocity1, buffers.Velocity2);
        double gather = clock.Lap();

        _queue.Read(buffers.Velocity1, velocity[0]);
        if (state.Dimension == 2)
        {
            _queue.Read(buffers.Velocity2, velocity[1]);
        }
        double energy = double.NaN;
        if (withEnergy)
        {
            double shortSum = buffers.Near is { } near ? 0.5 * Sum(near.Energy, n) : 0.0;
            double longSum = Sum(buffers.Mesh.EnergyTerms, buffers.Mesh.SpectrumCount);
            energy = EwaldEvaluator.InteractionEnergy(_split, _shortSelf, _longAtZero, shortSum, longSum, state.Signs);
        }
        if (buffers.Near is { Singular: true } singular)
        {
            ThrowOnCollision(singular, state);
        }
        double download = clock.Lap();
        if (ProfileStages)
        {
            LastTimings = new OpenClStageTimings(upload, binning, nearField, spread, fft, gather, download);
        }
        return ExternalField.Apply(Model, state, velocity, energy);
    }

    public void Dispose()
    {
        _buffers?.Dispose();
        _partialSums.Dispose();
        _partials.Dispose();
        _queue.Dispose();
    }

    /// <summary>The device buffers for n particles, kept while n stays the same.</summary>
    private Buffers Prepare(int n)
    {
        if (_buffers is null || _buffers.Count != n)
        {
            _buffers?.Dispose();
            _buffers = null;
            _uploadedSigns = null;
            _buffers = new Buffers(_queue, Model.Dimension, n, _split, Settings);
        }
        return _buffers;
    }

    /// <summary>Σ values[0 … count) on the device in <see cref="ReductionParts"/> fixed chunks, then on the host in order.</summary>
    private double Sum(ClBuffer<double> values, int count)
    {
        int chunk = (count + ReductionParts - 1) / ReductionParts;
        _partialSums.Set(0, values).SetValue(1, count).SetValue(2, chunk).SetValue(3, ReductionParts).Set(4, _partials);
        _queue.Launch(_partialSums, ReductionParts);
        _queue.Read(_partials, _hostPartials.AsSpan());
        double sum = 0;
        foreach (double part in _hostPartials)
        {
            sum += part;
        }
        return sum;
    }

    /// <summary>
    /// The device records the smallest index i of a colliding pair; its partner is the smallest j &gt; i closer than
    /// <see cref="CollisionException.Distance"/> (minimum image), found here on the host.
    /// </summary>
    private void ThrowOnCollision(DeviceNearField near, ParticleState state)
    {
        Span<int> first = stackalloc int[1];
        _queue.Read(near.Collision, first);
        int i = first[0];
        if (i == int.MaxValue)
        {
            return;
        }
        double limit = CollisionException.Distance * CollisionException.Distance;
        for (int j = i + 1; j < state.Count; j++)
        {
            double r2 = 0;
            for (int a = 0; a < state.Dimension; a++)
            {
                double d = Torus.Nearest(state.Positions[a][i] - state.Positions[a][j]);
                r2 += d * d;
            }
            if (r2 < limit)
            {
                throw new CollisionException(i, j, Math.Sqrt(r2));
            }
        }
        throw new CollisionException(i, i, 0.0);
    }

    /// <summary>Everything sized by n: inputs, outputs and the two stages.</summary>
    private sealed class Buffers : IDisposable
    {
        public Buffers(ClQueue queue, int dimension, int n, EwaldSplit split, EwaldParameters settings)
        {
            Count = n;
            var context = queue.Context;
            X1 = context.CreateBuffer<double>(n);
            X2 = context.CreateBuffer<double>(dimension == 2 ? n : 1);
            Signs = context.CreateBuffer<sbyte>(n);
            Velocity1 = context.CreateBuffer<double>(n);
            Velocity2 = context.CreateBuffer<double>(dimension == 2 ? n : 1);
            try
            {
                if (split.ShortRange is { } shortRange)
                {
                    Near = new DeviceNearField(queue, dimension, shortRange.Kind, split.Case.IsRegularised, settings.Sigma,
                        split.Model.Delta, settings.Cutoff, n, X1, X2, Signs);
                }
                Mesh = new DeviceMesh(queue, dimension, settings.Mesh, settings.Order, settings.WithinBand(split.Multiplier), n, X1, X2, Signs);
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public int Count { get; }

        public ClBuffer<double> X1 { get; }

        public ClBuffer<double> X2 { get; }

        public ClBuffer<sbyte> Signs { get; }

        public ClBuffer<double> Velocity1 { get; }

        public ClBuffer<double> Velocity2 { get; }

        public DeviceNearField? Near { get; }

        public DeviceMesh Mesh { get; } = null!;

        public void Dispose()
        {
            Near?.Dispose();
            Mesh?.Dispose();
            X1.Dispose();
            X2.Dispose();
            Signs.Dispose();
            Velocity1.Dispose();
            Velocity2.Dispose();
        }
    }

    /// <summary>Lap times of the stages, with the queue finished at each lap when profiling (zero otherwise).</summary>
    private sealed class StageClock(ClQueue queue, bool enabled)
    {
        private long _last = Stopwatch.GetTimestamp();

        public double Lap()
        {
            if (!enabled)
            {
                return 0;
            }
            queue.Finish();
            long now = Stopwatch.GetTimestamp();
            double seconds = (now - _last) / (double)Stopwatch.Frequency;
            _last = now;
            return seconds;
        }
    }
}
