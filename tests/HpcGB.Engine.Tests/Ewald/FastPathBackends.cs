using HpcGB.Engine.Forces;
using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Forces.OpenCl;
using HpcGB.Engine.Model;
using HpcGB.Tests.Shared;

namespace HpcGB.Engine.Tests.Ewald;

/// <summary>
/// The backends of the fast path that the shared test bodies run on, one row each: the CPU's SIMD paths this machine
/// accelerates, and OpenCL where a double-precision device exists (or must: <c>HPCGB_REQUIRE_OPENCL=1</c>).
/// </summary>
public static class FastPathBackends
{
    public const string OpenCl = "opencl";

    public static IEnumerable<string> All()
    {
        foreach (var path in FastPathAccuracyTests.SimdPaths())
        {
            yield return path.ToString().ToLowerInvariant();
        }
        if (OpenClTestDevice.Runs)
        {
            yield return OpenCl;
        }
    }

    /// <summary>The fastest CPU path and OpenCL (where it runs): for bodies that need not sweep every SIMD width.</summary>
    public static IEnumerable<string> CpuAndDevice()
    {
        yield return "auto";
        if (OpenClTestDevice.Runs)
        {
            yield return OpenCl;
        }
    }

    /// <summary>The fast evaluator of <paramref name="backend"/>.</summary>
    public static Evaluator Create(string backend, SystemModel model, EwaldParameters parameters) => new(backend == OpenCl
        ? new OpenClEwaldEvaluator(model, parameters, OpenClTestDevice.Device)
        : new EwaldEvaluator(model, parameters, Enum.Parse<SimdPath>(backend, ignoreCase: true), threads: 2));

    /// <summary>A backend's evaluator with its native resources, released by <see cref="Dispose"/>.</summary>
    public sealed class Evaluator(IForceEvaluator inner) : IForceEvaluator, IDisposable
    {
        public IForceEvaluator Inner { get; } = inner;

        public string Name => Inner.Name;

        public SystemModel Model => Inner.Model;

        public IReadOnlyDictionary<string, object> Parameters => Inner.Parameters;

        public double Evaluate(ParticleState state, double[][] velocity, bool withEnergy) => Inner.Evaluate(state, velocity, withEnergy);

        public void Dispose() => (Inner as IDisposable)?.Dispose();
    }
}
