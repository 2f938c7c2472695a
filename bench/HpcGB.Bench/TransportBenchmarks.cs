using BenchmarkDotNet.Attributes;
using HpcGB.Engine.Analysis.Transport;
using HpcGB.Engine.Initialization;

namespace HpcGB.Bench;

/// <summary>
/// The W₂ solvers at the sizes the CLI meets: exact circle W₂ (sort + cyclic shift) and empirical vs a
/// 1000-cell density at n = 10⁶; the exact 2D assignment at n = 1000 and 2000 (<see cref="TorusW2.ExactLimit"/>);
/// Sinkhorn at n = 2000 for ε = 1e-2 and 1e-3 (tolerance 1e-6). Uniform random points, fixed seeds.
/// </summary>
[MemoryDiagnoser]
public class TransportBenchmarks
{
    private double[] _circleX = null!;
    private double[] _circleY = null!;
    private PiecewiseConstantDensity _density = null!;
    private double[][] _plane1000X = null!;
    private double[][] _plane1000Y = null!;
    private double[][] _plane2000X = null!;
    private double[][] _plane2000Y = null!;

    [GlobalSetup]
    public void Setup()
    {
        _circleX = Points(1, 1_000_000, 1)[0];
        _circleY = Points(1, 1_000_000, 2)[0];
        // A smooth positive density on 1000 cells: 1 + ½ cos 2πx.
        _density = new PiecewiseConstantDensity(
            Enumerable.Range(0, 1000).Select(j => 1 + 0.5 * Math.Cos(2 * Math.PI * (j + 0.5) / 1000)).ToArray());
        _plane1000X = Points(2, 1000, 3);
        _plane1000Y = Points(2, 1000, 4);
        _plane2000X = Points(2, 2000, 5);
        _plane2000Y = Points(2, 2000, 6);
    }

    [Benchmark]
    public double CircleMillion() => CircleW2.Between(_circleX, _circleY).Value;

    [Benchmark]
    public double CircleDensityMillion() => CircleDensityMatching.Between(_circleX, _density).Value;

    [Benchmark]
    public double Assignment1000() => TorusAssignment.Between(_plane1000X, _plane1000Y).Value;

    [Benchmark]
    public double Assignment2000() => TorusAssignment.Between(_plane2000X, _plane2000Y).Value;

    [Benchmark]
    [Arguments(1e-2)]
    [Arguments(1e-3)]
    public double Sinkhorn2000(double epsilon) =>
        Sinkhorn.Between(_plane2000X, _plane2000Y, new SinkhornOptions(Epsilon: epsilon)).Value;

    private static double[][] Points(int dimension, int n, ulong seed)
    {
        var random = new SeededRandom(seed);
        return Enumerable.Range(0, dimension)
            .Select(_ => Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray()).ToArray();
    }
}
