using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using HpcGB.Host.Cli;
using HpcGB.Interop.Mpi;

namespace HpcGB.Host.Sweeps;

/// <summary>
/// A sweep across the ranks of an MPI job. Rank 0 schedules: it checks which runs are already complete, then hands
/// out the rest one at a time, largest expected cost first, to whichever rank is free (so fast ranks take more); it
/// also runs them itself on a second thread, its scheduling thread mostly asleep. Workers run what they are given
/// and send the result back; rank 0 records it and rewrites the tables after every result, so a job that dies (MPICH
/// ends the whole job when a rank is killed) leaves the table of what finished, and a rerun completes it.
/// Every MPI call is made from the command's thread (<c>MPI_THREAD_FUNNELED</c>).
/// </summary>
internal static class MpiSweep
{
    private const int Ready = 1;     // worker → 0, empty: give me work
    private const int Result = 2;    // worker → 0: [int32 index][float64 seconds][result]
    private const int Assign = 3;    // 0 → worker: [int32 index]
    private const int Stop = 4;      // 0 → worker, empty: no more work

    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(1);

    public static SweepTiming? Run(ISweepWork work, CliConsole console, CancellationToken cancellationToken)
    {
        using var mpi = MpiSession.Start();
        try
        {
            if (mpi.Rank == 0)
            {
                return Coordinate(mpi, work, console, cancellationToken);
            }
            Serve(mpi, work, cancellationToken);
            return null;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The other ranks would wait for this one forever: end the job. Workers are otherwise silent, so they
            // name themselves on the process's stderr.
            var error = mpi.Rank == 0 ? console.Error : new StringWriter();
            ErrorReporter.Report(exception, error, verbose: false);
            if (mpi.Rank != 0)
            {
                Console.Error.Write($"rank {mpi.Rank}: {error}");
            }
            mpi.Abort(ExitCodes.RuntimeFailure);
            throw;
        }
    }

    private static void Serve(MpiSession mpi, ISweepWork work, CancellationToken cancellationToken)
    {
        mpi.Send(Array.Empty<byte>(), 0, Ready);
        while (!cancellationToken.IsCancellationRequested)
        {
            var message = mpi.Wait(0);
            if (message.Tag == Stop)
            {
                mpi.ReceiveBytes(0, Stop);
                return;
            }
            int index = BinaryPrimitives.ReadInt32LittleEndian(mpi.ReceiveBytes(0, Assign));
            var clock = Stopwatch.StartNew();
            byte[] result = SweepQueue.Execute(work, index, cancellationToken);
            mpi.Send(Pack(index, clock.Elapsed.TotalSeconds, result), 0, Result);
        }
    }

    private static SweepTiming Coordinate(MpiSession mpi, ISweepWork work, CliConsole console, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var queue = SweepQueue.Resume(work);
        var toHandOut = new Queue<int>(queue.Indices);
        var progress = new SweepProgress(console, work.Count, queue.Skipped, queue.Cost);
        using var local = new LocalWorker(work, cancellationToken);
        var idleRanks = new Queue<int>();
        bool localIdle = true;
        int outstanding = queue.Indices.Count, running = 0;
        double runSeconds = 0;
        var coordination = new Stopwatch();
        progress.Started(running);

        void Take(int index, double seconds, byte[] result)
        {
            runSeconds += seconds;
            running--;
            outstanding--;
            bool succeeded = work.Record(index, result);
            work.Publish(null);
            progress.Finished(succeeded, work.Cost(index), running);
        }

        while (outstanding > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool busy = false;
            coordination.Start();
            while (mpi.Poll() is { } message)
            {
                busy = true;
                byte[] body = mpi.ReceiveBytes(message.Source, message.Tag);
                if (message.Tag == Result)
                {
                    var (index, seconds, result) = Unpack(body);
                    Take(index, seconds, result);
                }
                idleRanks.Enqueue(message.Source);
            }
            while (local.TryTake(out var done))
            {
                busy = true;
                Take(done.Index, done.Seconds, done.Result);
                localIdle = true;
            }
            while (toHandOut.Count > 0 && (localIdle || idleRanks.Count > 0))
            {
                busy = true;
                int index = toHandOut.Dequeue();
                if (localIdle)
                {
                    local.Assign(index);
                    localIdle = false;
                }
                else
                {
                    mpi.Send(BitConverter.GetBytes(index), idleRanks.Dequeue(), Assign);
                }
                running++;
                progress.Started(running);
            }
            coordination.Stop();
            if (!busy)
            {
                Thread.Sleep(Idle);
            }
        }

        // Every rank gets Stop, also one still starting up (its Ready is then never read: harmless).
        for (int rank = 1; rank < mpi.Size; rank++)
        {
            mpi.Send(Array.Empty<byte>(), rank, Stop);
        }
        progress.End();
        var timing = new SweepTiming(
            mpi.Size, clock.Elapsed.TotalSeconds, runSeconds, coordination.Elapsed.TotalSeconds, queue.Indices.Count, queue.Skipped);
        work.Publish(timing);
        return timing;
    }

    private static byte[] Pack(int index, double seconds, byte[] result)
    {
        var message = new byte[12 + result.Length];
        BinaryPrimitives.WriteInt32LittleEndian(message, index);
        BinaryPrimitives.WriteDoubleLittleEndian(message.AsSpan(4), seconds);
        result.CopyTo(message, 12);
        return message;
    }

    private static (int Index, double Seconds, byte[] Result) Unpack(byte[] message) => (
        BinaryPrimitives.ReadInt32LittleEndian(message),
        BinaryPrimitives.ReadDoubleLittleEndian(message.AsSpan(4)),
        message[12..]);

    /// <summary>Rank 0's own worker: one thread that runs what the scheduler assigns it (no MPI calls).</summary>
    private sealed class LocalWorker : IDisposable
    {
        private readonly BlockingCollection<int> _assigned = new();
        private readonly ConcurrentQueue<(int Index, double Seconds, byte[] Result)> _done = new();
        private readonly Thread _thread;
        private Exception? _failure;

        public LocalWorker(ISweepWork work, CancellationToken cancellationToken)
        {
            _thread = new Thread(() =>
            {
                try
                {
                    foreach (int index in _assigned.GetConsumingEnumerable(cancellationToken))
                    {
                        var clock = Stopwatch.StartNew();
                        byte[] result = SweepQueue.Execute(work, index, cancellationToken);
                        _done.Enqueue((index, clock.Elapsed.TotalSeconds, result));
                    }
                }
                catch (Exception exception)
                {
                    _failure = exception;
                }
            })
            { IsBackground = true, Name = "sweep worker (rank 0)" };
            _thread.Start();
        }

        public void Assign(int index) => _assigned.Add(index);

        public bool TryTake(out (int Index, double Seconds, byte[] Result) done)
        {
            if (_failure is { } failure)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
            }
            return _done.TryDequeue(out done);
        }

        public void Dispose()
        {
            _assigned.CompleteAdding();
            _thread.Join();
            _assigned.Dispose();
        }
    }
}
