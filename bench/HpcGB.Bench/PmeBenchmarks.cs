using BenchmarkDotNet.Attributes;
using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Model;

namespace HpcGB.Bench;

/// <summary>
/// The fast path at tolerance 1e-6 (2D, gaussian δ = 1e-4): the full evaluation and its two halves (near field,
/// mesh). <see cref="StageProfile"/> prints the mesh stages (spread, FFT, convolve, gather).
/// </summary>
[MemoryDiagnoser]
public class PmeBenchmarks
{
    private EwaldEvaluator _evaluator = null!;
    private ParticleState _state = null!;
    private double[][] _velocity = null!;
    private double[] _x1 = null!, _x2 = null!, _g1 = null!, _g2 = null!;

    [Params(10_000, 100_000, 1_000_000)]
    public int N { get; set; }

    [Params(KernelType.Log, KernelType.Edge)]
    public KernelType Kernel { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _evaluator = EvaluationSetup.Pme(Kernel, N, 1e-6);
        _state = EvaluationSetup.Uniform(N);
        _velocity = _state.NewVectors();
        _x1 = _state.Positions[0];
        _x2 = _state.Positions[1];
        _g1 = new double[N];
        _g2 = new double[N];
    }

    [GlobalCleanup]
    public void Cleanup() => _evaluator.Dispose();

    [Benchmark]
    public double Full() => _evaluator.Evaluate(_state, _velocity, withEnergy: false);

    [Benchmark]
    public double NearField() => _evaluator.NearField!.Compute(_x1, _x2, _state.Signs, _g1, _g2, withEnergy: false);

    [Benchmark]
    public double Mesh() => _evaluator.Mesh.Compute(_x1, _x2, _state.Signs, _g1, _g2, withEnergy: false);
}
