using System.Diagnostics;

namespace HpcGB.Engine.Distributed;

/// <summary>
/// The ranks of one distributed run and the messages between them: every collective is built here on one
/// primitive, <see cref="ExchangeCore"/> (send some arrays, receive one array from each of some ranks), so that each
/// transport (MPI, in-process threads) implements only that and a barrier, and every byte is counted in one place
/// (<see cref="Counters"/>, per <see cref="CommunicationPhase"/>). A rank's messages to itself never reach the
/// transport. Reductions gather every rank's values and add them in rank order, so every rank gets the same bits:
/// step decisions taken from them agree on all ranks.
/// <para>Not thread-safe: one thread of each rank communicates (MPI is initialised <c>FUNNELED</c>).</para>
/// </summary>
public abstract class Communicator : IDisposable, Integrators.IGlobalSums
{
    /// <summary>This rank, 0 … <see cref="Size"/> − 1.</summary>
    public abstract int Rank { get; }

    /// <summary>The number of ranks.</summary>
    public abstract int Size { get; }

    /// <summary>Bytes, messages and time per phase.</summary>
    public CommunicationCounters Counters { get; } = new();

    /// <summary>The rank below (periodically): the owner of the slab to the left.</summary>
    public int Left => (Rank + Size - 1) % Size;

    /// <summary>The rank above (periodically): the owner of the slab to the right.</summary>
    public int Right => (Rank + 1) % Size;

    /// <summary>
    /// Sends <paramref name="data"/>[k] to <paramref name="destinations"/>[k] and receives one message from each of
    /// <paramref name="sources"/>, returned in the order of <paramref name="sources"/>. Every rank that sends to r
    /// must find r listing it as a source in the same call. Any list may be empty; a rank may appear in both lists.
    /// </summary>
    public double[][] Exchange(CommunicationPhase phase, IReadOnlyList<int> destinations, IReadOnlyList<double[]> data, IReadOnlyList<int> sources)
    {
        ArgumentNullException.ThrowIfNull(destinations);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(sources);
        if (destinations.Count != data.Count)
        {
            throw new ArgumentException($"{destinations.Count} destinations but {data.Count} arrays", nameof(data));
        }
        long start = Stopwatch.GetTimestamp();
        double[]? toSelf = null;
        var remoteDestinations = new List<int>(destinations.Count);
        var remoteData = new List<double[]>(destinations.Count);
        long bytes = 0;
        for (int k = 0; k < destinations.Count; k++)
        {
            CheckRank(destinations[k], nameof(destinations));
            if (destinations[k] == Rank)
            {
                toSelf = data[k];
                continue;
            }
            remoteDestinations.Add(destinations[k]);
            remoteData.Add(data[k]);
            bytes += data[k].Length * (long)sizeof(double);
        }
        var remoteSources = new List<int>(sources.Count);
        foreach (int source in sources)
        {
            CheckRank(source, nameof(sources));
            if (source != Rank)
            {
                remoteSources.Add(source);
            }
        }
        if (remoteSources.Count < sources.Count && toSelf is null)
        {
            throw new ArgumentException("this rank lists itself as a source but sends itself nothing", nameof(sources));
        }
        var received = remoteDestinations.Count + remoteSources.Count == 0
            ? []
            : ExchangeCore(remoteDestinations, remoteData, remoteSources);
        var result = new double[sources.Count][];
        for (int k = 0, remote = 0; k < sources.Count; k++)
        {
            result[k] = sources[k] == Rank ? (double[])toSelf!.Clone() : received[remote++];
        }
        Counters.Record(phase, bytes, remoteDestinations.Count, start);
        return result;
    }

    /// <summary>Sends <paramref name="data"/> to <paramref name="destination"/> and receives from <paramref name="source"/>.</summary>
    public double[] SendReceive(CommunicationPhase phase, double[] data, int destination, int source) =>
        Exchange(phase, [destination], [data], [source])[0];

    /// <summary>Sends <paramref name="data"/> to <paramref name="destination"/> (which must <see cref="Receive"/> it).</summary>
    public void Send(CommunicationPhase phase, double[] data, int destination) => Exchange(phase, [destination], [data], []);

    /// <summary>Receives the message <paramref name="source"/> <see cref="Send"/>s this rank.</summary>
    public double[] Receive(CommunicationPhase phase, int source) => Exchange(phase, [], [], [source])[0];

    /// <summary>Sends <paramref name="data"/>[q] to every rank q and returns what each rank q sent this one.</summary>
    public double[][] AllToAll(CommunicationPhase phase, double[][] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length != Size)
        {
            throw new ArgumentException($"one array per rank: {Size}, got {data.Length}", nameof(data));
        }
        var ranks = Enumerable.Range(0, Size).ToArray();
        return Exchange(phase, ranks, data, ranks);
    }

    /// <summary>Every rank's <paramref name="local"/>, in rank order (lengths may differ).</summary>
    public double[][] Allgather(CommunicationPhase phase, double[] local)
    {
        ArgumentNullException.ThrowIfNull(local);
        var ranks = Enumerable.Range(0, Size).ToArray();
        return Exchange(phase, ranks, ranks.Select(_ => local).ToArray(), ranks);
    }

    /// <summary>Σ over ranks of <paramref name="local"/>, element-wise, added in rank order (the same bits on every rank).</summary>
    public double[] Sum(params double[] local) => Reduce(local, (a, b) => a + b);

    /// <summary>The element-wise maximum over ranks (NaN wins, so a NaN anywhere is seen everywhere).</summary>
    public double[] Max(params double[] local) => Reduce(local, (a, b) => double.IsNaN(a) || a >= b ? a : b);

    /// <summary>The element-wise minimum over ranks.</summary>
    public double[] Min(params double[] local) => Reduce(local, (a, b) => double.IsNaN(a) || a <= b ? a : b);

    /// <summary>One value summed over ranks, in rank order.</summary>
    public double Sum(double local) => Sum([local])[0];

    /// <summary>Waits until every rank has called it.</summary>
    public void Barrier()
    {
        long start = Stopwatch.GetTimestamp();
        if (Size > 1)
        {
            BarrierCore();
        }
        Counters.Record(CommunicationPhase.Reduction, 0, 0, start);
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>The transport: the same contract as <see cref="Exchange"/>, with this rank in neither list.</summary>
    protected abstract double[][] ExchangeCore(IReadOnlyList<int> destinations, IReadOnlyList<double[]> data, IReadOnlyList<int> sources);

    /// <summary>The transport's barrier (only called with more than one rank).</summary>
    protected abstract void BarrierCore();

    private double[] Reduce(double[] local, Func<double, double, double> combine)
    {
        var all = Allgather(CommunicationPhase.Reduction, local);
        var result = (double[])all[0].Clone();
        for (int r = 1; r < all.Length; r++)
        {
            if (all[r].Length != result.Length)
            {
                throw new InvalidOperationException($"rank {r} reduces {all[r].Length} values, rank 0 {result.Length}");
            }
            for (int k = 0; k < result.Length; k++)
            {
                result[k] = combine(result[k], all[r][k]);
            }
        }
        return result;
    }

    private void CheckRank(int rank, string name)
    {
        if ((uint)rank >= (uint)Size)
        {
            throw new ArgumentOutOfRangeException(name, rank, $"ranks are 0 … {Size - 1}");
        }
    }
}
