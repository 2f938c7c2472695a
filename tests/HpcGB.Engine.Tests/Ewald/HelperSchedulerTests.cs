using HpcGB.Engine.Forces;
using HpcGB.Engine.Forces.Ewald;

namespace HpcGB.Engine.Tests.Ewald;

/// <summary>
/// The evaluator's helper lent to its caller's passes (<see cref="HelperScheduler.Run"/>): every part runs once, on a
/// spinning helper or the caller; with no helper alive the caller runs them all; a part's failure reaches the caller.
/// </summary>
public sealed class HelperSchedulerTests
{
    /// <summary>
    /// Part 0 (the caller's first) waits for part 1 to start: a helper woken by the last task takes it. Tried a few
    /// times, since a helper on a loaded machine may give up spinning before the parts are lent.
    /// </summary>
    [Fact]
    public void ASpinningHelperTakesPartsAndEveryPartRunsOnce()
    {
        var scheduler = new HelperScheduler(1);
        bool helperRan = false;
        for (int attempt = 0; attempt < 5 && !helperRan; attempt++)
        {
            WakeHelper(scheduler);
            var work = new Recording(4, waitForPartOne: true);
            scheduler.Run(work, 4, wake: false);
            Assert.Equal([1, 1, 1, 1], work.Runs);
            helperRan = work.Threads.Any(t => t != Environment.CurrentManagedThreadId);
        }
        Assert.True(helperRan, "no helper took a part");
    }

    [Fact]
    public void WithoutAHelperTheCallerRunsEveryPart()
    {
        var scheduler = new HelperScheduler(1);
        var work = new Recording(3, waitForPartOne: false);
        scheduler.Run(work, 3, wake: false);
        Assert.Equal([1, 1, 1], work.Runs);
        Assert.All(work.Threads, t => Assert.Equal(Environment.CurrentManagedThreadId, t));
    }

    /// <summary>Asked to, a parked helper is started for the parts: part 0 waits until part 1 has started.</summary>
    [Fact]
    public void WakingStartsAParkedHelper()
    {
        var scheduler = new HelperScheduler(1);
        var work = new Recording(2, waitForPartOne: true);
        scheduler.Run(work, 2, wake: true);
        Assert.Equal([1, 1], work.Runs);
        Assert.NotEqual(Environment.CurrentManagedThreadId, work.Threads[1]);
    }

    /// <summary>A part that throws, on a helper or the caller: the caller gets it once all parts are done, and the
    /// scheduler lends the helper again after.</summary>
    [Fact]
    public void APartsFailureReachesTheCaller()
    {
        var scheduler = new HelperScheduler(1);
        WakeHelper(scheduler);
        var failing = new Failing();
        var error = Assert.Throws<InvalidOperationException>(() => scheduler.Run(failing, 2, wake: false));
        Assert.Equal("part 1", error.Message);
        Assert.Equal(2, failing.Started);
        WakeHelper(scheduler);
        var work = new Recording(2, waitForPartOne: false);
        scheduler.Run(work, 2, wake: false);
        Assert.Equal([1, 1], work.Runs);
    }

    /// <summary>Queues an empty task: a helper starts and spins for the next work (<see cref="HelperScheduler.IdleSpin"/>).</summary>
    internal static void WakeHelper(HelperScheduler scheduler) =>
        Task.Factory.StartNew(() => { }, CancellationToken.None, TaskCreationOptions.None, scheduler).Wait();

    private sealed class Recording(int parts, bool waitForPartOne) : IParts
    {
        private readonly ManualResetEventSlim _partOne = new();

        public int[] Runs { get; } = new int[parts];

        public int[] Threads { get; } = new int[parts];

        public void Run(int part)
        {
            Interlocked.Increment(ref Runs[part]);
            Threads[part] = Environment.CurrentManagedThreadId;
            if (part == 1)
            {
                _partOne.Set();
            }
            if (part == 0 && waitForPartOne)
            {
                // Bounded: where the helper has left already the caller takes part 1 after this.
                _partOne.Wait(TimeSpan.FromSeconds(10));
            }
        }
    }

    private sealed class Failing : IParts
    {
        public int Started => _started;

        private int _started;

        public void Run(int part)
        {
            Interlocked.Increment(ref _started);
            if (part == 1)
            {
                throw new InvalidOperationException("part 1");
            }
        }
    }
}
