using System.Collections.Concurrent;
using HpcGB.Engine.Distributed;

namespace HpcGB.Engine.Tests.Distributed;

/// <summary>
/// K ranks as K threads of this process, with queues for messages: the distributed algorithms run here exactly as
/// under <c>mpiexec</c> (the same <see cref="Communicator"/> calls), fast and without MPI, so that every
/// configuration and K can be compared with the serial evaluation. The MPI transport itself is tested by the
/// <c>mpiexec</c> tests of the host. A rank that throws cancels the others, which then fail instead of waiting forever.
/// </summary>
internal static class InProcessRanks
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs <paramref name="body"/> on <paramref name="ranks"/> threads and returns each rank's result.</summary>
    public static T[] Run<T>(int ranks, Func<Communicator, T> body)
    {
        var group = new Group(ranks);
        var results = new T[ranks];
        var failures = new ConcurrentQueue<Exception>();
        var threads = Enumerable.Range(0, ranks).Select(rank => new Thread(() =>
        {
            try
            {
                using var communicator = new Member(group, rank);
                results[rank] = body(communicator);
            }
            catch (Exception exception)
            {
                failures.Enqueue(exception);
                group.Cancel();
            }
        }, maxStackSize: 16 << 20)).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }
        foreach (var thread in threads)
        {
            thread.Join();
        }
        if (!failures.IsEmpty)
        {
            // The first failure is the cause; the others are ranks cancelled because of it.
            var cause = failures.FirstOrDefault(e => e is not OperationCanceledException) ?? failures.First();
            throw new AggregateException($"a rank failed: {cause.Message}", cause);
        }
        return results;
    }

    /// <summary>Runs <paramref name="body"/> on every rank.</summary>
    public static void Run(int ranks, Action<Communicator> body) => Run(ranks, c =>
    {
        body(c);
        return 0;
    });

    private sealed class Group(int size)
    {
        private readonly BlockingCollection<double[]>[] _queues =
            Enumerable.Range(0, size * size).Select(_ => new BlockingCollection<double[]>()).ToArray();

        private readonly CancellationTokenSource _cancel = new();

        public int Size => size;

        public Barrier Barrier { get; } = new(size);

        public CancellationToken Token => _cancel.Token;

        public BlockingCollection<double[]> Queue(int from, int to) => _queues[from * size + to];

        public void Cancel() => _cancel.Cancel();
    }

    private sealed class Member(Group group, int rank) : Communicator
    {
        public override int Rank => rank;

        public override int Size => group.Size;

        protected override double[][] ExchangeCore(IReadOnlyList<int> destinations, IReadOnlyList<double[]> data, IReadOnlyList<int> sources)
        {
            for (int k = 0; k < destinations.Count; k++)
            {
                group.Queue(rank, destinations[k]).Add((double[])data[k].Clone());
            }
            var received = new double[sources.Count][];
            for (int k = 0; k < sources.Count; k++)
            {
                if (!group.Queue(sources[k], rank).TryTake(out received[k]!, (int)Timeout.TotalMilliseconds, group.Token))
                {
                    throw new TimeoutException($"rank {rank} waited {Timeout} for rank {sources[k]}");
                }
            }
            return received;
        }

        protected override void BarrierCore()
        {
            if (!group.Barrier.SignalAndWait(Timeout, group.Token))
            {
                throw new TimeoutException($"rank {rank} waited {Timeout} at a barrier");
            }
        }
    }
}
