using HpcGB.Engine.Forces.NearField;
using HpcGB.Interop.OpenCl;

namespace HpcGB.Engine.Forces.OpenCl;

/// <summary>
/// The near field on the device (near_field.cl): the particles counting-sorted into the CPU's cell grid, then one
/// work-item per particle over the runs of its neighbouring cells. Results at original indices (<see cref="Near1"/>,
/// <see cref="Near2"/>), energies per sorted particle (<see cref="Energy"/>: each pair counted from both sides).
/// </summary>
internal sealed class DeviceNearField : IDisposable
{
    private const int EnergyArgument = 10;

    private readonly ClQueue _queue;
    private readonly int _n;
    private readonly DeviceBinSort _sort;
    private readonly ClKernel _bin;
    private readonly ClKernel _pairs;

    /// <param name="regularised">False for the unregularised kinds, which are singular at 0 (collisions are checked).</param>
    public DeviceNearField(ClQueue queue, int dimension, ShortRangeKind kind, bool regularised, double sigma, double delta, double cutoff,
        int n, ClBuffer<double> x1, ClBuffer<double> x2, ClBuffer<sbyte> signs)
    {
        _queue = queue;
        _n = n;
        Singular = !regularised;
        CellsPerAxis = NearFieldEvaluator.AutomaticCellsPerAxis(dimension, n, NearFieldEvaluator.MaxCellsPerAxis(cutoff));
        int cells = dimension == 2 ? CellsPerAxis * CellsPerAxis : CellsPerAxis;
        var context = queue.Context;
        var sortProgram = DevicePrograms.Sort(context);
        _sort = new DeviceBinSort(queue, sortProgram, n, cells, dimension, x1, x2, signs);
        _bin = sortProgram.CreateKernel("bin_cells")
            .Set(0, x1).Set(1, x2).SetValue(2, n).SetValue(3, dimension).SetValue(4, CellsPerAxis).Set(5, _sort.BinOf).Set(6, _sort.Counts);
        Near1 = context.CreateBuffer<double>(n);
        Near2 = context.CreateBuffer<double>(dimension == 2 ? n : 1);
        Energy = context.CreateBuffer<double>(n);
        Collision = context.CreateBuffer<int>(1);
        _pairs = DevicePrograms.NearField(context, dimension, kind, DevicePrograms.NearFieldLanes(context.Device, dimension))
            .CreateKernel("near_field")
            .Set(0, _sort.Sorted1).Set(1, _sort.Sorted2).Set(2, _sort.SortedSigns).Set(3, _sort.Start).Set(4, _sort.Order)
            .SetValue(5, n).SetValue(6, CellsPerAxis).SetValue(7, sigma).SetValue(8, regularised ? delta : 1.0)
            .SetValue(9, cutoff).SetValue(EnergyArgument, 0)
            .Set(11, Near1).Set(12, Near2).Set(13, Energy).Set(14, Collision);
    }

    /// <summary>Cells per axis (the CPU's automatic choice for the same n and r_c).</summary>
    public int CellsPerAxis { get; }

    /// <summary>True for the unregularised kinds, whose collisions <see cref="Collision"/> records.</summary>
    public bool Singular { get; }

    /// <summary>g_near at original indices.</summary>
    public ClBuffer<double> Near1 { get; }

    public ClBuffer<double> Near2 { get; }

    /// <summary>Σ_{j≠i} b_i b_j s(x_i − x_j) per sorted particle (twice the pair sum in total).</summary>
    public ClBuffer<double> Energy { get; }

    /// <summary>The smallest original index of a particle in a colliding pair, int.MaxValue when none.</summary>
    public ClBuffer<int> Collision { get; }

    /// <summary>Enqueues the binning and sort.</summary>
    public void Bin() => _sort.Run(_bin);

    /// <summary>Enqueues the pair sums.</summary>
    public void Pairs(bool withEnergy)
    {
        if (Singular)
        {
            _queue.Fill(Collision, int.MaxValue, 1);
        }
        _pairs.SetValue(EnergyArgument, withEnergy ? 1 : 0);
        _queue.Launch(_pairs, _n, DeviceBinSort.Local);
    }

    public void Dispose()
    {
        _pairs.Dispose();
        _bin.Dispose();
        _sort.Dispose();
        Near1.Dispose();
        Near2.Dispose();
        Energy.Dispose();
        Collision.Dispose();
    }
}
