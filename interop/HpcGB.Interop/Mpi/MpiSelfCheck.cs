using System.Globalization;
using System.Runtime.CompilerServices;

namespace HpcGB.Interop.Mpi;

/// <summary>
/// Checks that MPI works end to end on this job (<c>mpiexec -n K hpcgb info</c>): every rank passes a <c>byte[]</c>
/// and a <c>double[]</c> around a ring, all-reduces (sum, min, max), meets at a barrier, and still turns a null
/// dereference into an exception, and says which memory hooks UCX was given (<see cref="UcxRuntimeSettings"/>). Returns one line on every rank; throws
/// <see cref="InvalidOperationException"/> when a value comes back wrong.
/// </summary>
public static class MpiSelfCheck
{
    private const int BytesTag = 101;
    private const int DoublesTag = 102;

    public static string Run(MpiSession mpi)
    {
        int next = (mpi.Rank + 1) % mpi.Size, previous = (mpi.Rank + mpi.Size - 1) % mpi.Size;

        // Around the ring: small messages go eagerly, so everyone sends first, then receives.
        mpi.Send(BitConverter.GetBytes(mpi.Rank), next, BytesTag);
        mpi.Send(Enumerable.Range(0, 1000).Select(i => mpi.Rank + i / 1000.0).ToArray(), next, DoublesTag);
        int fromPrevious = BitConverter.ToInt32(mpi.ReceiveBytes(previous, BytesTag));
        double[] doubles = mpi.ReceiveDoubles(previous, DoublesTag);
        Expect(fromPrevious == previous, $"byte[] from rank {previous} carried {fromPrevious}");
        Expect(doubles.Length == 1000 && doubles[999] == previous + 0.999, $"double[] from rank {previous} came back wrong");

        double[] sum = mpi.Allreduce([mpi.Rank, 1.0], MpiReduction.Sum);
        Expect(sum[0] == mpi.Size * (mpi.Size - 1) / 2.0 && sum[1] == mpi.Size, "all-reduce (sum) came back wrong");
        Expect(mpi.Allreduce(mpi.Rank, MpiReduction.Min) == 0, "all-reduce (min) came back wrong");
        Expect(mpi.Allreduce(mpi.Rank, MpiReduction.Max) == mpi.Size - 1, "all-reduce (max) came back wrong");
        mpi.Barrier();
        Expect(NullDereferenceIsAnException(nothing: null), "a null dereference was not a NullReferenceException");
        string hooks = NativeEnvironment.Get(UcxRuntimeSettings.MemoryHooks) ?? "default";
        return string.Create(CultureInfo.InvariantCulture,
            $"rank {mpi.Rank} of {mpi.Size} ({MpiLibrary.LibraryName}): send/receive, all-reduce, barrier, fault signals ok, UCX memory hooks {hooks}");
    }

    /// <summary>A hardware null dereference in managed code (not inlined, so the JIT cannot see the null), which the
    /// runtime raises as an exception unless MPI's transport took SIGSEGV at MPI_Init (then the rank dies here).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool NullDereferenceIsAnException(string? nothing)
    {
        try
        {
            return nothing!.Length < 0;
        }
        catch (NullReferenceException)
        {
            return true;
        }
    }

    private static void Expect(bool condition, string failure)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"MPI self-check: {failure}");
        }
    }
}
