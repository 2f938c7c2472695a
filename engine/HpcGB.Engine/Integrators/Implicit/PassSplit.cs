using HpcGB.Engine.Forces;

namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>
/// Splits the Newton matrix's passes over its pairs and their candidates into contiguous chunks run at once: on the
/// forces' helper threads where the evaluator lends them (<see cref="IHelperThreads"/>: spinning between evaluations,
/// so a chunk costs no wake-up; a parked one is woken only for chunks a parallel loop would make), else in a parallel
/// loop from far more items a chunk (its pool workers park). Every pass makes each chunk's result from its items
/// alone and combines the chunks in order, so the results do not depend on the chunks or on which thread ran them.
/// </summary>
internal sealed class PassSplit : IParts
{
    /// <summary>The fewest items per chunk of a parallel loop (the peer workload at n = 4096, ~6000 pairs, ran 0.3 s
    /// slower outside the forces split at 2048 on this 2-core VM; n = 10⁴'s gas is no slower serial).</summary>
    internal const int ItemsPerThread = 8192;

    /// <summary>The fewest items per chunk on lent helpers (docs/implicit.md, "The integrator's passes on two threads").</summary>
    internal const int ItemsPerHelper = 1024;

    private Action<int, int, int>? _body;
    private int _count, _chunks;

    /// <summary>Threads at most (the forces' thread count).</summary>
    public int Threads { get; set; } = 1;

    /// <summary>The evaluator's lent helpers (null: a parallel loop).</summary>
    public IHelperThreads? Helpers { get; set; }

    /// <summary>The chunks a pass over <paramref name="count"/> items is split into.</summary>
    public int Chunks(int count) => Math.Clamp(count / (Helpers is null ? ItemsPerThread : ItemsPerHelper), 1, Threads);

    /// <summary>The first item of chunk <paramref name="chunk"/> of <see cref="Chunks"/>(<paramref name="count"/>).</summary>
    public static int Start(int count, int chunks, int chunk) => (int)((long)chunk * count / chunks);

    /// <summary><paramref name="body"/>(chunk, start, end) over the <see cref="Chunks"/> of [0, <paramref name="count"/>)
    /// (one chunk: on the caller, allocating nothing).</summary>
    public void Run(int count, Action<int, int, int> body)
    {
        int chunks = Chunks(count);
        if (chunks == 1)
        {
            body(0, 0, count);
            return;
        }
        (_body, _count, _chunks) = (body, count, chunks);
        try
        {
            if (Helpers is { } helpers)
            {
                helpers.Run(this, chunks, wake: count >= chunks * ItemsPerThread);
            }
            else
            {
                Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, c => ((IParts)this).Run(c));
            }
        }
        finally
        {
            _body = null;
        }
    }

    void IParts.Run(int part) => _body!(part, Start(_count, _chunks, part), Start(_count, _chunks, part + 1));
}
