using BenchmarkDotNet.Attributes;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Bench;

/// <summary>One full reference evaluation (velocities, no energy): the O(n²) baseline for the fast paths.</summary>
[MemoryDiagnoser]
public class ReferenceEvaluatorBenchmarks
{
    private IForceEvaluator _evaluator = null!;
    private ParticleState _state = null!;
    private double[][] _velocity = null!;

    [Params(1000, 4000)]
    public int N { get; set; }

    [Params(KernelType.Log, KernelType.Edge)]
    public KernelType Kernel { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var model = new SystemModel(2, Kernel, MobilityType.Isotropic,
            new Regularization(RegularizationType.Gaussian, 1e-3), ExternalPotential.None(2));
        _evaluator = ForceEvaluatorFactory.Create(model, new ForcesSpec(ForceMethod.Reference, 1e-6), N);
        var random = new Random(1);
        var signs = Enumerable.Range(0, N).Select(i => (sbyte)(i % 2 == 0 ? 1 : -1)).ToArray();
        _state = ParticleState.Zeros(2, signs);
        for (int i = 0; i < N; i++)
        {
            _state.Positions[0][i] = random.NextDouble();
            _state.Positions[1][i] = random.NextDouble();
        }
        _velocity = _state.NewVectors();
    }

    [Benchmark]
    public void Evaluate() => _evaluator.Evaluate(_state, _velocity, withEnergy: false);
}
