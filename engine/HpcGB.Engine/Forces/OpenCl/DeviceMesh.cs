using HpcGB.Engine.Forces.Pme;
using HpcGB.Interop.OpenCl;
using HpcGB.Interop.OpenCl.VkFft;

namespace HpcGB.Engine.Forces.OpenCl;

/// <summary>
/// Smooth PME on the device (pme.cl), stage for stage the CPU's <see cref="ParticleMeshEwald"/> with the same
/// influence function and B-spline tables: particles counting-sorted into tiles, spreading by tile colours
/// (deterministic, no atomics), VkFFT forward, the influence function, VkFFT inverse, gathering with analytic
/// derivatives straight into the velocities.
/// </summary>
internal sealed class DeviceMesh : IDisposable
{
    /// <summary>Work-group size of the spreading kernel (one work-item per tile).</summary>
    private const int SpreadLocal = 16;

    private const int ColourArgument = 5;
    private const int EnergyArgument = 4;

    private readonly ClQueue _queue;
    private readonly int _n;
    private readonly int _dimension;
    private readonly int _points;
    private readonly int _spectrumCount;
    private readonly DeviceBinSort _sort;
    private readonly ClKernel _bin;
    private readonly ClKernel _spread;
    private readonly ClKernel _convolve;
    private readonly ClKernel _gather;
    private readonly ClRealFft _fft;
    private readonly ClBuffer<double> _influence;
    private readonly ClBuffer<double> _weights;
    private readonly ClBuffer<double> _derivatives;

    public DeviceMesh(ClQueue queue, int dimension, int mesh, int order, Func<int, int, double> multiplier, int n,
        ClBuffer<double> x1, ClBuffer<double> x2, ClBuffer<sbyte> signs)
    {
        _queue = queue;
        _n = n;
        _dimension = dimension;
        Mesh = mesh;
        Tiles = TilesPerAxis(mesh, order);
        _points = dimension == 2 ? mesh * mesh : mesh;
        int half = mesh / 2 + 1;
        _spectrumCount = dimension == 2 ? mesh * half : half;
        var context = queue.Context;
        var sortProgram = DevicePrograms.Sort(context);
        _sort = new DeviceBinSort(queue, sortProgram, n, dimension == 2 ? Tiles * Tiles : Tiles, dimension, x1, x2, signs);
        _bin = sortProgram.CreateKernel("bin_tiles")
            .Set(0, x1).Set(1, x2).SetValue(2, n).SetValue(3, dimension).SetValue(4, mesh).SetValue(5, Tiles)
            .Set(6, _sort.BinOf).Set(7, _sort.Counts);
        _fft = new ClRealFft(queue, dimension, mesh);
        _influence = Upload(ParticleMeshEwald.Influence(dimension, mesh, order, multiplier));
        _weights = Upload(DevicePrograms.StencilWeights(order));
        _derivatives = Upload(DevicePrograms.StencilDerivatives(order));
        EnergyTerms = context.CreateBuffer<double>(_spectrumCount);
        var program = DevicePrograms.Mesh(context, dimension, order);
        _spread = program.CreateKernel("spread")
            .Set(0, _sort.Sorted1).Set(1, _sort.Sorted2).Set(2, _sort.SortedSigns).Set(3, _sort.Start)
            .SetValue(4, Tiles).SetValue(ColourArgument, 0).SetValue(6, mesh).Set(7, _weights).Set(8, _fft.Real);
        _convolve = program.CreateKernel("convolve")
            .Set(0, _fft.Spectrum).Set(1, _influence).SetValue(2, _spectrumCount).SetValue(3, half).SetValue(EnergyArgument, 0).Set(5, EnergyTerms);
        _gather = program.CreateKernel("gather")
            .Set(0, _sort.Sorted1).Set(1, _sort.Sorted2).Set(2, _sort.SortedSigns).Set(3, _sort.Order).SetValue(4, n).SetValue(5, mesh)
            .Set(6, _weights).Set(7, _derivatives).Set(8, _fft.Real);
    }

    public int Mesh { get; }

    /// <summary>Tiles per axis T: even (or 1), each tile at least p mesh rows.</summary>
    public int Tiles { get; }

    /// <summary>w·G|Q̂|² per half-spectrum entry after a transform with energy: their sum is Σ_m Q(m) φ(m).</summary>
    public ClBuffer<double> EnergyTerms { get; }

    /// <summary>The spectrum entries behind <see cref="EnergyTerms"/>.</summary>
    public int SpectrumCount => _spectrumCount;

    /// <summary>The largest even T ≤ M/p (tiles of ≥ p rows: a particle writes its own tile and the one before), or 1.</summary>
    internal static int TilesPerAxis(int mesh, int order)
    {
        int tiles = mesh / order / 2 * 2;
        return tiles >= 2 ? tiles : 1;
    }

    /// <summary>Enqueues the tile sort.</summary>
    public void Bin() => _sort.Run(_bin);

    /// <summary>Enqueues spreading onto the zeroed mesh, colour by colour.</summary>
    public void Spread()
    {
        _queue.Fill(_fft.Real, 0.0, _points);
        int colours = Tiles == 1 ? 1 : 1 << _dimension;
        long tilesPerColour = Tiles == 1 ? 1 : (long)Math.Pow(Tiles / 2, _dimension);
        for (int colour = 0; colour < colours; colour++)
        {
            _spread.SetValue(ColourArgument, colour);
            _queue.Launch(_spread, tilesPerColour, SpreadLocal);
        }
    }

    /// <summary>Enqueues FFT, influence function (and energy terms), inverse FFT: the mesh then holds φ.</summary>
    public void Transform(bool withEnergy)
    {
        _fft.Forward();
        _convolve.SetValue(EnergyArgument, withEnergy ? 1 : 0);
        _queue.Launch(_convolve, _spectrumCount, DeviceBinSort.Local);
        _fft.Inverse();
    }

    /// <summary>Enqueues gathering: v = −(g_mesh + g_near)/n at original indices (<paramref name="near"/> null: mesh only).</summary>
    public void Gather(DeviceNearField? near, ClBuffer<double> velocity1, ClBuffer<double> velocity2)
    {
        _gather.SetValue(9, near is null ? 0 : 1)
            .Set(10, near?.Near1 ?? velocity1).Set(11, near?.Near2 ?? velocity2)
            .SetValue(12, (double)_n).Set(13, velocity1).Set(14, velocity2);
        _queue.Launch(_gather, _n, DeviceBinSort.Local);
    }

    public void Dispose()
    {
        _gather.Dispose();
        _convolve.Dispose();
        _spread.Dispose();
        _bin.Dispose();
        _sort.Dispose();
        _fft.Dispose();
        _influence.Dispose();
        _weights.Dispose();
        _derivatives.Dispose();
        EnergyTerms.Dispose();
    }

    private ClBuffer<double> Upload(double[] values)
    {
        var buffer = _queue.Context.CreateBuffer<double>(values.Length);
        _queue.Write(buffer, values);
        return buffer;
    }
}
