using BenchmarkDotNet.Attributes;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Bench;

/// <summary>
/// One force evaluation (2D log, gaussian δ = 1e-4, tolerance 1e-6) on the CPU path (widest SIMD, all cores) and on
/// the OpenCL device (the first with double precision, a GPU before a CPU), through the factory as a run makes it.
/// <see cref="OpenClProfile"/> (<c>bench -- opencl</c>) prints the device's stages.
/// </summary>
public class OpenClBenchmarks
{
    private IForceEvaluator _evaluator = null!;
    private ParticleState _state = null!;
    private double[][] _velocity = null!;

    [Params(10_000, 100_000, 1_000_000)]
    public int N { get; set; }

    [Params(ForceDevice.Cpu, ForceDevice.OpenCl)]
    public ForceDevice Device { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var device = OpenClProfile.SelectDevice([]);
        var forces = new ForcesSpec(ForceMethod.Pme, 1e-6, Device: Device, OpenCl: new OpenClChoice(device.Platform, device.Index));
        _evaluator = ForceEvaluatorFactory.Create(EvaluationSetup.Model(KernelType.Log), Device == ForceDevice.Cpu ? forces with { OpenCl = null } : forces, N);
        _state = EvaluationSetup.Uniform(N);
        _velocity = _state.NewVectors();
        _evaluator.Evaluate(_state, _velocity, withEnergy: false); // compiles the device's programs
    }

    [GlobalCleanup]
    public void Cleanup() => (_evaluator as IDisposable)?.Dispose();

    [Benchmark]
    public double Evaluate() => _evaluator.Evaluate(_state, _velocity, withEnergy: false);
}
