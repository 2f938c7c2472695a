using HpcGB.Engine.Cases;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Initialization;
using HpcGB.Engine.Integrators;
using HpcGB.Engine.Model;
using HpcGB.Engine.Simulation;
using HpcGB.Engine.Spec;

namespace HpcGB.Engine.Distributed;

/// <summary>
/// The particles of one system spread over the ranks of a distributed run, and their evaluator. Rank 0 builds the
/// initial particles from the spec (one seeded stream, so they are the serial run's bit for bit) and sends each rank
/// those in its slab; from then on each rank holds its own (<see cref="Held"/>, <see cref="Ids"/> = their indices in
/// the serial order, ascending) and no rank holds them all. Particles are re-homed to the slabs they have moved into
/// by <see cref="Rehome"/>, and the slabs follow the particles when the counts drift apart.
/// </summary>
public sealed class DistributedSystem : IDisposable
{
    /// <summary>Slabs move when the fullest holds this much more than the mean.</summary>
    public const double RebalanceThreshold = 1.1;

    private DistributedSystem(SimulationSpec spec, Communicator communicator, long count, IntegratorType integrator,
        DistributedEwaldEvaluator evaluator, ParticleState held, int[] ids)
    {
        Spec = spec;
        Communicator = communicator;
        Count = count;
        Integrator = integrator;
        Evaluator = evaluator;
        Held = held;
        Ids = ids;
        evaluator.Ids = ids;
    }

    public SimulationSpec Spec { get; }

    public Communicator Communicator { get; }

    /// <summary>n over all ranks.</summary>
    public long Count { get; }

    /// <summary>The integrator the run uses (<c>auto</c> resolved on rank 0 from all the initial particles).</summary>
    public IntegratorType Integrator { get; }

    public DistributedEwaldEvaluator Evaluator { get; }

    /// <summary>Every particle's sign in the serial order, on rank 0 (n bytes: what its outputs record); null elsewhere.</summary>
    public sbyte[]? AllSigns { get; private init; }

    /// <summary>This rank's particles (unwrapped positions), in ascending <see cref="Ids"/>.</summary>
    public ParticleState Held { get; private set; }

    /// <summary>The serial indices of <see cref="Held"/>.</summary>
    public int[] Ids { get; private set; }

    /// <summary>max/mean of the particles per slab at the last <see cref="Rehome"/> (before any rebalancing), and after.</summary>
    public (double Before, double After) Imbalance { get; private set; } = (1, 1);

    /// <summary>How often the slabs have moved.</summary>
    public int Rebalances { get; private set; }

    /// <summary>Every <see cref="Rehome"/>'s imbalance before and after moving the slabs.</summary>
    public IReadOnlyList<(double Before, double After)> ImbalanceHistory => _history;

    private readonly List<(double Before, double After)> _history = [];

    /// <summary>
    /// Sets up <paramref name="spec"/> on every rank (all ranks call it): from t = 0, or from <paramref name="resume"/>
    /// (given on rank 0 only; the others pass null) on any number of ranks. Throws <see cref="SpecException"/> for what
    /// the serial run would refuse and for what a distributed run cannot do (a method other than the CPU fast path,
    /// more ranks than slabs of r_c: <see cref="SlabLimitException"/>), on every rank alike;
    /// a checkpoint that does not fit the spec is an <see cref="ArgumentException"/> on rank 0. A failure in rank 0's
    /// particles reaches the other ranks as <see cref="RankFailedException"/>.
    /// </summary>
    public static DistributedSystem Create(SimulationSpec spec, Communicator communicator, DistributedCheckpoint? resume = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(communicator);
        int ranks = communicator.Size, me = communicator.Rank;
        CheckForces(spec);

        // Rank 0: the particles (initial, or the checkpoint's) and the integrator: the one 'auto' picks for them, or
        // the one the checkpointed run used.
        ParticleState? initial = null;
        double[] header = new double[Header.Length];
        Exception? failure = null;
        if (me == 0)
        {
            try
            {
                IntegratorType integrator;
                if (resume is null)
                {
                    initial = InitialConditions.Create(spec);
                    integrator = spec.Time.Integrator == IntegratorType.Auto
                        ? IntegratorFactory.Create(spec.Time, spec.System, initial) is Integrators.Implicit.ImplicitIntegrator ? IntegratorType.Implicit : IntegratorType.Dp45
                        : spec.Time.Integrator;
                }
                else
                {
                    (initial, integrator) = FromCheckpoint(spec, resume);
                }
                header = Header.Write(initial, integrator, resume?.Run);
            }
            catch (Exception exception)
            {
                failure = exception;
                header[0] = exception is SpecException or ArgumentException ? -2 : -1;
            }
        }
        header = communicator.Exchange(CommunicationPhase.Setup,
            me == 0 ? Enumerable.Range(0, ranks).ToArray() : [], me == 0 ? Enumerable.Repeat(header, ranks).ToArray() : [], [0])[0];
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
        if (header[0] < 0)
        {
            throw new RankFailedException(0, header[0] == -2 ? 2 : 1);
        }
        long count = (long)header[1];
        var resolved = (IntegratorType)(int)header[3];
        var parameters = Parameters(spec, count, ranks);
        var evaluator = new DistributedEwaldEvaluator(spec.System, parameters, ResolveSimd(spec.Forces.Simd),
            Threads(spec.Forces), communicator, count, header[2]);
        try
        {
            InitialLayout(communicator, evaluator, initial, resume?.Slabs);
            var columns = IntegratorRows.Columns(resume?.Run.Integrator);
            var (held, ids, carried) = Scatter(communicator, evaluator, initial, columns, spec.Dimension, Header.Columns(header));
            return new DistributedSystem(spec, communicator, count, resolved, evaluator, held, ids)
            {
                AllSigns = initial?.Signs,
                Resumed = Header.Read(header, held, carried),
            };
        }
        catch
        {
            evaluator.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Where a resumed run stands on this rank: the time, frame and integrator counters of the checkpoint, with
    /// <see cref="Held"/>'s positions (the same arrays, which the run goes on to change) and this rank's rows of the
    /// cached velocity (the integrator's name left empty); null for a run from t = 0.
    /// </summary>
    public SimulationCheckpoint? Resumed { get; private init; }

    /// <summary>
    /// Threads per rank for <c>forces.threads</c> = 0 (all cores): the cores of the node shared by the ranks on it
    /// (<c>MPI_LOCALNRANKS</c>), at least one.
    /// </summary>
    public static int Threads(ForcesSpec forces)
    {
        if (forces.Threads > 0)
        {
            return forces.Threads;
        }
        int local = HpcGB.Interop.Mpi.MpiLaunch.LocalRanks ?? 1;
        return Math.Max(1, Environment.ProcessorCount / Math.Max(1, local));
    }

    /// <summary>
    /// Moves every held particle whose x1 has left this rank's slab to the slab's owner, with its row of
    /// <paramref name="carried"/> (per-particle integrator state, [axis][i], or null), first moving the slabs when
    /// the busiest holds more than <see cref="RebalanceThreshold"/> × the mean. Returns the carried arrays in the new
    /// held order. Every rank calls it at the same point.
    /// </summary>
    public double[][]? Rehome(double[][]? carried)
    {
        int ranks = Communicator.Size, d = Held.Dimension;
        Balance();
        if (ranks == 1)
        {
            return carried;
        }
        int extra = carried?.Length ?? 0;
        int stride = 2 + d + extra; // id, sign, positions, carried
        var outgoing = new List<double>[ranks];
        var keep = new List<int>(Held.Count);
        for (int i = 0; i < Held.Count; i++)
        {
            int owner = Evaluator.OwnerOf(Held.Positions[0][i]);
            if (owner == Communicator.Rank)
            {
                keep.Add(i);
                continue;
            }
            var message = outgoing[owner] ??= [];
            message.Add(Ids[i]);
            message.Add(Held.Signs[i]);
            for (int a = 0; a < d; a++)
            {
                message.Add(Held.Positions[a][i]);
            }
            for (int c = 0; c < extra; c++)
            {
                message.Add(carried![c][i]);
            }
        }
        var arrived = Communicator.AllToAll(CommunicationPhase.Migration, outgoing.Select(m => m?.ToArray() ?? []).ToArray());

        // Kept and arrived particles, in ascending id.
        int total = keep.Count + arrived.Sum(m => m.Length / stride);
        var records = new (int Id, int Source, int Index)[total];
        int k = 0;
        foreach (int i in keep)
        {
            records[k++] = (Ids[i], -1, i);
        }
        for (int q = 0; q < ranks; q++)
        {
            for (int j = 0; j < arrived[q].Length / stride; j++)
            {
                records[k++] = ((int)arrived[q][j * stride], q, j);
            }
        }
        Array.Sort(records, (a, b) => a.Id.CompareTo(b.Id));
        var ids = new int[total];
        var signs = new sbyte[total];
        var positions = Enumerable.Range(0, d).Select(_ => new double[total]).ToArray();
        var moved = carried is null ? null : Enumerable.Range(0, extra).Select(_ => new double[total]).ToArray();
        for (int j = 0; j < total; j++)
        {
            var (id, source, index) = records[j];
            ids[j] = id;
            if (source < 0)
            {
                signs[j] = Held.Signs[index];
                for (int a = 0; a < d; a++)
                {
                    positions[a][j] = Held.Positions[a][index];
                }
                for (int c = 0; c < extra; c++)
                {
                    moved![c][j] = carried![c][index];
                }
                continue;
            }
            var message = arrived[source];
            int at = index * stride;
            signs[j] = (sbyte)message[at + 1];
            for (int a = 0; a < d; a++)
            {
                positions[a][j] = message[at + 2 + a];
            }
            for (int c = 0; c < extra; c++)
            {
                moved![c][j] = message[at + 2 + d + c];
            }
        }
        Held = new ParticleState(positions, signs);
        Ids = ids;
        Evaluator.Ids = ids;
        return moved;
    }

    /// <summary>
    /// Streams per-particle rows (<paramref name="width"/> values per particle, held order) to rank 0 in the serial
    /// order: the rows go to the rank that holds their block of ids (K even blocks), are sorted there, and rank 0
    /// receives the blocks one after the other and hands each to <paramref name="sink"/> (first id, rows) — so rank 0
    /// never holds more than a block. <paramref name="sink"/> is used on rank 0 only. Every rank calls it.
    /// </summary>
    public void StreamInOrder(double[] rows, int width, Action<long, double[]>? sink) => StreamInOrder(Ids, rows, width, sink);

    /// <summary><see cref="StreamInOrder(double[], int, Action{long, double[]})"/> for rows of the particles
    /// <paramref name="ids"/> (an earlier <see cref="Ids"/>).</summary>
    public void StreamInOrder(int[] ids, double[] rows, int width, Action<long, double[]>? sink)
    {
        ArgumentNullException.ThrowIfNull(ids);
        int ranks = Communicator.Size, me = Communicator.Rank;
        var outgoing = new List<double>[ranks];
        for (int i = 0; i < ids.Length; i++)
        {
            var message = outgoing[BlockOf(ids[i])] ??= [];
            message.Add(ids[i]);
            for (int c = 0; c < width; c++)
            {
                message.Add(rows[i * width + c]);
            }
        }
        var arrived = Communicator.AllToAll(CommunicationPhase.Output, outgoing.Select(m => m?.ToArray() ?? []).ToArray());
        long first = BlockStart(me), count = BlockStart(me + 1) - first;
        var block = new double[count * width];
        foreach (var message in arrived)
        {
            for (int j = 0; j < message.Length; j += width + 1)
            {
                long at = ((long)message[j] - first) * width;
                Array.Copy(message, j + 1, block, at, width);
            }
        }
        if (me != 0)
        {
            Communicator.Send(CommunicationPhase.Output, block, 0);
            return;
        }
        sink?.Invoke(first, block);
        for (int q = 1; q < ranks; q++)
        {
            sink?.Invoke(BlockStart(q), Communicator.Receive(CommunicationPhase.Output, q));
        }
    }

    public void Dispose() => Evaluator.Dispose();

    private long BlockStart(int block) => Count * block / Communicator.Size;

    private int BlockOf(long id)
    {
        int block = (int)(id * Communicator.Size / Count);
        while (BlockStart(block + 1) <= id)
        {
            block++;
        }
        while (BlockStart(block) > id)
        {
            block--;
        }
        return block;
    }

    /// <summary>Particles per slab under the current layout; moves the slabs when they are too uneven.</summary>
    private void Balance()
    {
        int ranks = Communicator.Size;
        var layout = Evaluator.Layout;
        var local = new double[ranks];
        for (int i = 0; i < Held.Count; i++)
        {
            local[Evaluator.OwnerOf(Held.Positions[0][i])]++;
        }
        var counts = Communicator.Sum(local);
        double before = SlabLayout.Imbalance(counts);
        double after = before;
        if (ranks > 1 && before > RebalanceThreshold)
        {
            var blocks = new double[layout.Blocks];
            for (int i = 0; i < Held.Count; i++)
            {
                blocks[layout.BlockOf(Torus.Wrap(Held.Positions[0][i]))]++;
            }
            var total = Communicator.Sum(blocks);
            var balanced = layout.Balanced(total);
            double candidate = SlabLayout.Imbalance(balanced.Counts(total));
            if (candidate < before)
            {
                Evaluator.SetLayout(balanced);
                after = candidate;
                Rebalances++;
            }
        }
        Imbalance = (before, after);
        _history.Add(Imbalance);
    }

    /// <summary>
    /// The slabs to start with, decided on rank 0 and sent to the others: a checkpoint's own slabs where they fit this
    /// layout (a resume on as many ranks, so that it continues bit for bit), else slabs that share the particles out
    /// evenly (the even ones unless they are off by more than <see cref="RebalanceThreshold"/>).
    /// </summary>
    private static void InitialLayout(Communicator communicator, DistributedEwaldEvaluator evaluator, ParticleState? initial, IReadOnlyList<int>? slabs)
    {
        int ranks = communicator.Size;
        if (ranks == 1)
        {
            return;
        }
        var layout = evaluator.Layout;
        double[] starts = [];
        if (initial is not null)
        {
            var chosen = slabs is null ? null : layout.WithBoundaries(slabs);
            if (chosen is null)
            {
                var blocks = new double[layout.Blocks];
                foreach (double x1 in initial.Positions[0])
                {
                    blocks[layout.BlockOf(Torus.Wrap(x1))]++;
                }
                chosen = SlabLayout.Imbalance(layout.Counts(blocks)) > RebalanceThreshold ? layout.Balanced(blocks) : layout;
            }
            starts = chosen.Boundaries.Select(row => (double)row).ToArray();
        }
        starts = communicator.Exchange(CommunicationPhase.Setup,
            initial is null ? [] : Enumerable.Range(0, ranks).ToArray(), initial is null ? [] : Enumerable.Repeat(starts, ranks).ToArray(), [0])[0];
        var rows = starts.Select(row => (int)row).ToArray();
        if (!rows.SequenceEqual(layout.Boundaries))
        {
            evaluator.SetLayout(layout.WithBoundaries(rows) ?? throw new InvalidOperationException("rank 0 sent slabs that do not fit"));
        }
    }

    /// <summary>
    /// The particles from rank 0 to the owners of their slabs, in ascending id, each with its row of
    /// <paramref name="carried"/> (<paramref name="carriedAxes"/> arrays [axis][i] on rank 0: a checkpoint's cached
    /// velocity) when there is one.
    /// </summary>
    private static (ParticleState Held, int[] Ids, double[][]? Carried) Scatter(Communicator communicator, DistributedEwaldEvaluator evaluator,
        ParticleState? initial, double[][]? carried, int d, int carriedAxes)
    {
        int ranks = communicator.Size, stride = 2 + d + carriedAxes;
        double[][] outgoing = [];
        if (initial is not null)
        {
            var lists = Enumerable.Range(0, ranks).Select(_ => new List<double>()).ToArray();
            for (int i = 0; i < initial.Count; i++)
            {
                var list = lists[evaluator.OwnerOf(initial.Positions[0][i])];
                list.Add(i);
                list.Add(initial.Signs[i]);
                for (int a = 0; a < d; a++)
                {
                    list.Add(initial.Positions[a][i]);
                }
                for (int c = 0; c < carriedAxes; c++)
                {
                    list.Add(carried![c][i]);
                }
            }
            outgoing = lists.Select(l => l.ToArray()).ToArray();
        }
        var mine = communicator.Exchange(CommunicationPhase.Setup,
            initial is null ? [] : Enumerable.Range(0, ranks).ToArray(), outgoing, [0])[0];
        int count = mine.Length / stride;
        var ids = new int[count];
        var signs = new sbyte[count];
        var positions = Enumerable.Range(0, d).Select(_ => new double[count]).ToArray();
        var rows = carriedAxes == 0 ? null : Enumerable.Range(0, carriedAxes).Select(_ => new double[count]).ToArray();
        for (int j = 0; j < count; j++)
        {
            ids[j] = (int)mine[j * stride];
            signs[j] = (sbyte)mine[j * stride + 1];
            for (int a = 0; a < d; a++)
            {
                positions[a][j] = mine[j * stride + 2 + a];
            }
            for (int c = 0; c < carriedAxes; c++)
            {
                rows![c][j] = mine[j * stride + 2 + d + c];
            }
        }
        return (new ParticleState(positions, signs), ids, rows);
    }

    /// <summary>
    /// Rank 0: the particles and integrator of a resumed run, after checking that the checkpoint fits the spec (as
    /// <see cref="SimulationRunner.Restore"/> does); <see cref="ArgumentException"/> says what does not.
    /// </summary>
    private static (ParticleState Particles, IntegratorType Integrator) FromCheckpoint(SimulationSpec spec, DistributedCheckpoint resume)
    {
        var run = resume.Run;
        var time = spec.Time;
        int n = resume.Signs.Length;
        if (n == 0 || run.Positions.Length != spec.Dimension || run.Positions.Any(axis => axis.Length != n))
        {
            throw new ArgumentException($"the checkpoint's positions do not match {n} particles in {spec.Dimension}D", nameof(resume));
        }
        if (run.NextFrame < 0 || run.NextFrame > time.Outputs)
        {
            throw new ArgumentException($"the checkpoint's next frame {run.NextFrame} is outside 0 … {time.Outputs}", nameof(resume));
        }
        if (!(run.Time >= 0 && run.Time <= time.End))
        {
            throw new ArgumentException($"the checkpoint's time {run.Time:R} is outside [0, {time.End:R}]", nameof(resume));
        }
        var integrator = time.Integrator;
        if (run.Integrator is { } state)
        {
            if (time.Integrator == IntegratorType.Auto)
            {
                integrator = Enum.TryParse<IntegratorType>(state.Integrator, ignoreCase: true, out var named) && named != IntegratorType.Auto
                    ? named
                    : throw new ArgumentException($"the checkpoint names an unknown integrator '{state.Integrator}'", nameof(resume));
            }
            if (integrator != IntegratorType.Implicit)
            {
                string name = IntegratorFactory.Create(time with { Integrator = integrator }, spec.System).Name;
                if (state.Integrator != name)
                {
                    throw new ArgumentException($"checkpoint of integrator '{state.Integrator}' cannot resume '{name}'", nameof(resume));
                }
                if (state.Velocity is { } velocity && (velocity.Length > spec.Dimension || velocity.Any(axis => axis.Length != n)))
                {
                    throw new ArgumentException($"checkpoint velocity does not match {n} particles in {spec.Dimension}D", nameof(resume));
                }
            }
            if (state.History is { } history && (history.Points.Length != history.Times.Length
                || history.Points.Any(point => point.Length != history.Points[0].Length || point.Length > spec.Dimension || point.Any(axis => axis.Length != n))))
            {
                throw new ArgumentException($"the checkpoint's integrator history does not match {n} particles in {spec.Dimension}D", nameof(resume));
            }
        }
        else if (run.NextFrame != 0 || run.Time != 0)
        {
            throw new ArgumentException("the checkpoint holds no integrator state", nameof(resume));
        }
        else if (integrator == IntegratorType.Auto)
        {
            throw new ArgumentException("the checkpoint holds no integrator state to resume 'auto' with", nameof(resume));
        }
        var particles = new ParticleState(run.Positions.Select(axis => (double[])axis.Clone()).ToArray(), (sbyte[])resume.Signs.Clone());
        return (particles, integrator);
    }

    /// <summary>What rank 0 tells every rank before the particles: status, n, Σb, the integrator, and where a resumed
    /// run stands (time, frame and integrator counters; doubles hold the counters exactly below 2⁵³).</summary>
    private static class Header
    {
        /// <summary>The fixed part; an implicit run's history adds its times after it (<see cref="Write"/>).</summary>
        public const int Length = 22;

        public static double[] Write(ParticleState particles, IntegratorType integrator, SimulationCheckpoint? run)
        {
            var history = run?.Integrator?.History;
            var header = new double[Length + (history?.Times.Length ?? 0)];
            header[0] = 1;
            header[1] = particles.Count;
            header[2] = particles.Signs.Sum(b => (double)b);
            header[3] = (double)integrator;
            if (run is null)
            {
                return header;
            }
            header[4] = 1;
            header[5] = run.Integrator?.Velocity?.Length ?? 0;
            header[6] = run.Time;
            header[7] = run.NextFrame;
            header[8] = run.FrameEvaluations;
            if (run.Integrator is { } state)
            {
                header[9] = 1;
                header[10] = state.Time;
                header[11] = state.Step;
                header[12] = state.PreviousError;
                header[13] = state.AcceptedSteps;
                header[14] = state.RejectedSteps;
                header[15] = state.ForceEvaluations;
            }
            if (history is not null)
            {
                header[16] = history.Times.Length;
                header[17] = history.Points.Length == 0 ? 0 : history.Points[0].Length;
                header[18] = history.Energy;
                header[19] = history.Order;
                header[20] = history.StepsAtOrder;
                history.Times.CopyTo(header, Length);
            }
            return header;
        }

        /// <summary>The per-particle columns that travel with the particles: velocity axes, history points × axes.</summary>
        public static int Columns(double[] header) => (int)header[5] + (int)header[16] * (int)header[17];

        public static SimulationCheckpoint? Read(double[] header, ParticleState held, double[][]? columns)
        {
            if (header[4] == 0)
            {
                return null;
            }
            // The shapes of the velocity and the history, filled with this rank's columns.
            int velocityAxes = (int)header[5], points = (int)header[16], axes = (int)header[17];
            var history = points == 0
                ? null
                : new MultistepHistory(header[Length..(Length + points)], Enumerable.Range(0, points).Select(_ => new double[axes][]).ToArray(),
                    header[18], (int)header[19], (int)header[20]);
            var integrator = header[9] == 0
                ? null
                : IntegratorRows.WithColumns(
                    new IntegratorCheckpoint("", header[10], header[11], header[12], velocityAxes == 0 ? null : new double[velocityAxes][],
                        (long)header[13], (long)header[14], (long)header[15], history),
                    columns ?? []);
            return new SimulationCheckpoint(header[6], (int)header[7], held.Positions, integrator, (long)header[8]);
        }
    }

    /// <summary>What the distributed run supports of the <c>forces</c> block; the same refusals as the serial factory.</summary>
    private static void CheckForces(SimulationSpec spec)
    {
        var forces = spec.Forces;
        if (forces.Device == ForceDevice.OpenCl)
        {
            throw new SpecException("$.forces.device", "\"opencl\" does not run across MPI ranks; use \"cpu\" (each rank's fast path)");
        }
        if (forces.Method == ForceMethod.Reference)
        {
            throw new SpecException("$.forces.method", "\"reference\" does not run across MPI ranks; use \"pme\" or \"auto\", or run on one rank");
        }
        var kase = KernelCases.For(spec.System);
        if (!kase.FastPath.Supported)
        {
            throw new SpecException("$.forces.method", $"a run across MPI ranks needs the fast path, which {kase.Name} lacks: {kase.FastPath.Reason}");
        }
    }

    /// <summary>The serial run's parameters; the mesh may be as large as the serial limit on every rank.</summary>
    private static EwaldParameters Parameters(SimulationSpec spec, long count, int ranks)
    {
        try
        {
            return EwaldParameterChooser.Choose(spec.System, (int)count, spec.Forces.Tolerance, EwaldParameters.MaxMeshPoints * ranks);
        }
        catch (NotSupportedException refusal)
        {
            throw new SpecException("$.forces.method", refusal.Message);
        }
    }

    private static SimdPath ResolveSimd(SimdPath requested)
    {
        try
        {
            return SimdPaths.Resolve(requested);
        }
        catch (NotSupportedException refusal)
        {
            throw new SpecException("$.forces.simd", refusal.Message);
        }
    }
}

/// <summary>Another rank failed during setup (it reports the error itself); this rank ends with the same exit code.</summary>
public sealed class RankFailedException(int rank, int exitCode)
    : Exception($"rank {rank} failed (exit code {exitCode}); its message says why")
{
    public int Rank { get; } = rank;

    public int ExitCode { get; } = exitCode;
}
