using HpcGB.Interop.OpenCl;

namespace HpcGB.Engine.Forces.OpenCl;

/// <summary>
/// The device's deterministic counting sort of the particles into bins (near-field cells or PME tiles), sort.cl:
/// counts, prefix sums (<see cref="Start"/>), a scatter, each bin sorted by original index, and the wrapped
/// coordinates and signs copied into that order. The binning kernel is the owner's (it writes <see cref="BinOf"/>
/// and <see cref="Counts"/>).
/// </summary>
internal sealed class DeviceBinSort : IDisposable
{
    /// <summary>Work-group size of the per-particle and per-bin kernels.</summary>
    public const int Local = 64;

    /// <summary>Chunks of the prefix sums: enough work-items for a device, few enough for one work-item to scan their totals.</summary>
    private const int MaxChunks = 1024;

    private readonly ClQueue _queue;
    private readonly int _n;
    private readonly int _bins;
    private readonly int _chunks;
    private readonly ClBuffer<int> _fill;
    private readonly ClBuffer<int> _totals;
    private readonly ClKernel _chunkTotals;
    private readonly ClKernel _scanTotals;
    private readonly ClKernel _scanChunks;
    private readonly ClKernel _scatter;
    private readonly ClKernel _sortBins;
    private readonly ClKernel _gather;

    public DeviceBinSort(ClQueue queue, ClProgram program, int n, int bins, int dimension,
        ClBuffer<double> x1, ClBuffer<double> x2, ClBuffer<sbyte> signs)
    {
        _queue = queue;
        _n = n;
        _bins = bins;
        int chunk = Math.Max(1, (bins + MaxChunks - 1) / MaxChunks);
        _chunks = (bins + chunk - 1) / chunk;
        var context = queue.Context;
        BinOf = context.CreateBuffer<int>(n);
        Counts = context.CreateBuffer<int>(bins);
        _fill = context.CreateBuffer<int>(bins);
        Start = context.CreateBuffer<int>(bins + 1);
        _totals = context.CreateBuffer<int>(_chunks + 1);
        Order = context.CreateBuffer<int>(n);
        Sorted1 = Padded(queue, n);
        Sorted2 = Padded(queue, dimension == 2 ? n : 0);
        SortedSigns = Padded(queue, n);

        _chunkTotals = program.CreateKernel("scan_chunk_totals")
            .Set(0, Counts).SetValue(1, bins).SetValue(2, chunk).SetValue(3, _chunks).Set(4, _totals);
        _scanTotals = program.CreateKernel("scan_totals").Set(0, _totals).SetValue(1, _chunks);
        _scanChunks = program.CreateKernel("scan_chunks")
            .Set(0, Counts).SetValue(1, bins).SetValue(2, chunk).Set(3, _totals).SetValue(4, _chunks).Set(5, Start);
        _scatter = program.CreateKernel("scatter").Set(0, BinOf).SetValue(1, n).Set(2, Start).Set(3, _fill).Set(4, Order);
        _sortBins = program.CreateKernel("sort_bins").Set(0, Start).SetValue(1, bins).Set(2, Order);
        _gather = program.CreateKernel("gather_sorted")
            .Set(0, Order).SetValue(1, n).SetValue(2, dimension).Set(3, x1).Set(4, x2).Set(5, signs)
            .Set(6, Sorted1).Set(7, Sorted2).Set(8, SortedSigns);
    }

    /// <summary>The bin of each particle (original order), written by the owner's binning kernel.</summary>
    public ClBuffer<int> BinOf { get; }

    /// <summary>Particles per bin, counted by the owner's binning kernel.</summary>
    public ClBuffer<int> Counts { get; }

    /// <summary>Bin b holds sorted positions Start[b] … Start[b + 1].</summary>
    public ClBuffer<int> Start { get; }

    /// <summary>Original index of the particle at each sorted position.</summary>
    public ClBuffer<int> Order { get; }

    /// <summary>Wrapped coordinates and signs (as doubles) in sorted order, then padding zeros.</summary>
    public ClBuffer<double> Sorted1 { get; }

    public ClBuffer<double> Sorted2 { get; }

    public ClBuffer<double> SortedSigns { get; }

    /// <summary>A buffer of n doubles and <see cref="DevicePrograms.SortedPadding"/> zeros after them.</summary>
    private static ClBuffer<double> Padded(ClQueue queue, int n)
    {
        var buffer = queue.Context.CreateBuffer<double>(n + DevicePrograms.SortedPadding);
        queue.Fill(buffer, 0.0, buffer.Length);
        return buffer;
    }

    /// <summary>Enqueues the whole sort, <paramref name="bin"/> (bound to <see cref="BinOf"/> and <see cref="Counts"/>) first.</summary>
    public void Run(ClKernel bin)
    {
        _queue.Fill(Counts, 0, _bins);
        _queue.Fill(_fill, 0, _bins);
        _queue.Launch(bin, _n, Local);
        _queue.Launch(_chunkTotals, _chunks, Local);
        _queue.Launch(_scanTotals, 1);
        _queue.Launch(_scanChunks, _chunks, Local);
        _queue.Launch(_scatter, _n, Local);
        _queue.Launch(_sortBins, _bins, Local);
        _queue.Launch(_gather, _n, Local);
    }

    public void Dispose()
    {
        foreach (var kernel in new[] { _chunkTotals, _scanTotals, _scanChunks, _scatter, _sortBins, _gather })
        {
            kernel.Dispose();
        }
        foreach (var buffer in new[] { BinOf, Counts, _fill, Start, _totals, Order })
        {
            buffer.Dispose();
        }
        Sorted1.Dispose();
        Sorted2.Dispose();
        SortedSigns.Dispose();
    }
}
