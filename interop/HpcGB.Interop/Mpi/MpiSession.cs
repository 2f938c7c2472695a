namespace HpcGB.Interop.Mpi;

/// <summary>A message waiting to be received: who sent it and with which tag.</summary>
public readonly record struct MpiMessage(int Source, int Tag);

/// <summary>The reductions <see cref="MpiSession.Allreduce(double[], MpiReduction)"/> offers.</summary>
public enum MpiReduction
{
    Sum,
    Min,
    Max,
}

/// <summary>
/// This process's part in an MPI job (MPI.NET over MPICH, see <see cref="MpiLibrary"/>): rank and size of the world
/// communicator, point-to-point messages of <c>byte[]</c> and <c>double[]</c> of any length, all-reduce, barrier.
/// Start it only under an MPI launcher (<see cref="MpiLaunch.IsUnderLauncher"/>); a plain run never touches this
/// type, so it never loads MPI. Initialised with <c>MPI_THREAD_FUNNELED</c>: make every call from the thread that
/// called <see cref="Start"/>; other threads may compute meanwhile. Waiting polls with short sleeps, because MPICH's
/// blocking calls spin a core, which would take it from the computing threads.
/// </summary>
public sealed class MpiSession : IDisposable
{
    /// <summary>Matches any sender in <see cref="Poll"/> and the receive calls.</summary>
    public const int AnySource = -2;

    /// <summary>Matches any tag in <see cref="Poll"/>.</summary>
    public const int AnyTag = -1;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(1);

    /// <summary>How long <see cref="Exchange"/> yields between polls before it sleeps between them.</summary>
    private static readonly TimeSpan YieldPhase = TimeSpan.FromMilliseconds(5);
    private readonly MPI.Environment _environment;
    private readonly MPI.Intracommunicator _world;
    private bool _disposed;

    private MpiSession(MPI.Environment environment)
    {
        _environment = environment;
        _world = MPI.Communicator.world;
        Rank = _world.Rank;
        Size = _world.Size;
    }

    /// <summary>This process's rank in the world communicator, 0 … <see cref="Size"/> − 1.</summary>
    public int Rank { get; }

    /// <summary>How many ranks the job has.</summary>
    public int Size { get; }

    /// <summary>Loads MPICH and calls <c>MPI_Init_thread</c>; at most one session per process.</summary>
    /// <exception cref="MpiUnavailableException">MPICH is missing or does not start (the message names the fix).</exception>
    public static MpiSession Start()
    {
        UcxRuntimeSettings.LeaveToTheRuntime(); // before MPICH loads UCX, which reads its options as it loads
        MpiLibrary.EnsureLoaded(typeof(MPI.Environment).Assembly);
        try
        {
            string[] arguments = [];
            return new MpiSession(new MPI.Environment(ref arguments, MPI.Threading.Funneled));
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            throw new MpiUnavailableException($"MPI: cannot start MPICH ({exception.Message}); install mpich", exception);
        }
    }

    /// <summary>A message that has arrived and matches, or null at once when none has (<c>MPI_Iprobe</c>).</summary>
    public MpiMessage? Poll(int source = AnySource, int tag = AnyTag)
    {
        var status = _world.ImmediateProbe(source, tag);
        return status is null ? null : new MpiMessage(status.Source, status.Tag);
    }

    /// <summary>Waits until a matching message has arrived, without spinning a core.</summary>
    public MpiMessage Wait(int source = AnySource, int tag = AnyTag)
    {
        while (true)
        {
            if (Poll(source, tag) is { } message)
            {
                return message;
            }
            Thread.Sleep(PollInterval);
        }
    }

    /// <summary>Sends <paramref name="data"/> (any length, including 0) to <paramref name="destination"/>.</summary>
    public void Send(byte[] data, int destination, int tag) => _world.Send(data, destination, tag);

    /// <summary>Sends <paramref name="data"/> (any length, including 0) to <paramref name="destination"/>.</summary>
    public void Send(double[] data, int destination, int tag) => _world.Send(data, destination, tag);

    /// <summary>Receives a whole <c>byte[]</c> message of any length from <paramref name="source"/> with
    /// <paramref name="tag"/>, waiting for it without spinning.</summary>
    public byte[] ReceiveBytes(int source, int tag) => Receive<byte>(source, tag);

    /// <summary>Receives a whole <c>double[]</c> message of any length.</summary>
    public double[] ReceiveDoubles(int source, int tag) => Receive<double>(source, tag);

    /// <summary>
    /// Sends <paramref name="data"/>[k] to <paramref name="destinations"/>[k] and receives one <c>double[]</c> message of
    /// any length from each of <paramref name="sources"/> (returned in that order), all with <paramref name="tag"/>:
    /// nonblocking sends, receives sized by probing, and a wait that yields the core instead of spinning it (ranks
    /// may share cores with each other and with their own computing threads). The lists must not contain this rank.
    /// </summary>
    public double[][] Exchange(IReadOnlyList<int> destinations, IReadOnlyList<double[]> data, IReadOnlyList<int> sources, int tag)
    {
        var sends = new MPI.Request?[destinations.Count];
        for (int k = 0; k < sends.Length; k++)
        {
            sends[k] = _world.ImmediateSend(data[k], destinations[k], tag);
        }
        var received = new double[sources.Count][];
        int pending = sends.Length + received.Length;
        var idle = System.Diagnostics.Stopwatch.StartNew();
        while (pending > 0)
        {
            bool progress = false;
            for (int k = 0; k < received.Length; k++)
            {
                if (received[k] is null && _world.ImmediateProbe(sources[k], tag) is { } status)
                {
                    int count = status.Count(typeof(double)) ?? throw new InvalidOperationException("MPI: message length is not a whole number of doubles");
                    var values = new double[count];
                    _world.Receive(sources[k], tag, ref values);
                    received[k] = values;
                    pending--;
                    progress = true;
                }
            }
            for (int k = 0; k < sends.Length; k++)
            {
                if (sends[k] is { } request && request.Test() is not null)
                {
                    sends[k] = null;
                    pending--;
                    progress = true;
                }
            }
            if (progress)
            {
                idle.Restart();
            }
            else if (pending > 0)
            {
                // Yield at first (latency), then sleep (a rank waiting long for a slow one gives its core away).
                if (idle.Elapsed < YieldPhase)
                {
                    Thread.Yield();
                }
                else
                {
                    Thread.Sleep(PollInterval);
                }
            }
        }
        return received;
    }

    /// <summary>Element-wise reduction over all ranks; every rank gets the result.</summary>
    public double[] Allreduce(double[] values, MpiReduction reduction) => _world.Allreduce(values, Operation(reduction));

    /// <summary>Reduction of one value over all ranks.</summary>
    public double Allreduce(double value, MpiReduction reduction) => _world.Allreduce(value, Operation(reduction));

    /// <summary>Waits until every rank has called it.</summary>
    public void Barrier() => _world.Barrier();

    /// <summary>Ends every rank of the job with <paramref name="exitCode"/> (<c>MPI_Abort</c>).</summary>
    public void Abort(int exitCode) => _world.Abort(exitCode);

    /// <summary>Calls <c>MPI_Finalize</c>.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _environment.Dispose();
        }
    }

    private T[] Receive<T>(int source, int tag)
        where T : unmanaged
    {
        var message = Wait(source, tag);
        var status = _world.Probe(message.Source, message.Tag); // matched already: returns at once, with the count
        int count = status.Count(typeof(T)) ?? throw new InvalidOperationException("MPI: message length is not a whole number of elements");
        var values = new T[count];
        _world.Receive(message.Source, message.Tag, ref values);
        return values;
    }

    private static MPI.ReductionOperation<double> Operation(MpiReduction reduction) => reduction switch
    {
        MpiReduction.Sum => MPI.Operation<double>.Add,
        MpiReduction.Min => MPI.Operation<double>.Min,
        MpiReduction.Max => MPI.Operation<double>.Max,
        _ => throw new ArgumentOutOfRangeException(nameof(reduction)),
    };
}
