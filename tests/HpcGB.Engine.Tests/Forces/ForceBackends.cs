using HpcGB.Engine.Cases;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Forces.OpenCl;
using HpcGB.Engine.Forces.Reference;
using HpcGB.Engine.Model;
using HpcGB.Tests.Shared;

namespace HpcGB.Engine.Tests.Forces;

/// <summary>
/// One force backend under test: how to build its evaluator, which cases it supports (asked of the case table) and
/// how closely it keeps the exact invariants. The shared test bodies (<see cref="InvariantTests"/>) run on every row
/// of <see cref="ForceBackends.All"/>.
/// </summary>
/// <param name="Name">Row name in the test names.</param>
/// <param name="Supports">The cases it evaluates.</param>
/// <param name="Create">
/// The evaluator for a model, a particle count and a force tolerance (ignored by the exact ones); callers dispose it
/// where it is <see cref="IDisposable"/> (native buffers).
/// </param>
/// <param name="Approximate">True where a tolerance sets the accuracy: the accuracy tests compare it with the reference.</param>
/// <param name="Momentum">Bound on |Σ_i ẋ_i| relative to Σ_i |ẋ_i| with U = 0 (exact up to rounding for pair sums).</param>
/// <param name="Translation">Bound on the change of energy and velocities under a translation, relative to 1 + |value|.</param>
/// <param name="Gradient">Bound on |ẋ − (−n∇E)| relative to 1 + |ẋ|, by fourth-order differences of the energy.</param>
public sealed record ForceBackend(
    string Name,
    Func<KernelCase, bool> Supports,
    Func<SystemModel, int, double, IForceEvaluator> Create,
    bool Approximate,
    double Momentum,
    double Translation,
    double Gradient)
{
    public override string ToString() => Name;
}

/// <summary>The backends, one row each: a new backend adds one row.</summary>
public static class ForceBackends
{
    /// <summary>The force tolerance of the approximate backends in the invariant tests.</summary>
    public const double InvariantTolerance = 1e-10;

    public static IReadOnlyList<ForceBackend> All { get; } =
    [
        new("reference", c => c.ExactKernel is not null,
            (model, _, _) => new PairSumEvaluator(model, KernelCases.For(model).PairKernel(model.Delta)), false, 1e-12, 1e-9, 1e-6),
        new("fourier", c => c.IsRegularised, (model, _, _) => new FourierSeriesEvaluator(model), false, 1e-12, 1e-9, 1e-6),
        .. SupportedSimdPaths().Select(path => new ForceBackend($"pme-{path.ToString().ToLowerInvariant()}", c => c.FastPath.Supported,
            (model, n, tolerance) => new EwaldEvaluator(model, EwaldParameterChooser.Choose(model, n, tolerance), path, threads: 2),
            true, 1e-8, 1e-8, 1e-5)),
        // The rows above keep the chooser's band of the spectrum (EwaldParameterChooser.BandColumns) where it has one;
        // this one the whole spectrum, the path of 1D and of the meshes whose band would reach M/2.
        new("pme-whole-spectrum", c => c.FastPath.Supported,
            (model, n, tolerance) => new EwaldEvaluator(model, EwaldParameterChooser.Choose(model, n, tolerance) with { BandColumns = null },
                SimdPath.Auto, threads: 2),
            true, 1e-8, 1e-8, 1e-5),
        // Where a double-precision device exists (or must: HPCGB_REQUIRE_OPENCL=1).
        .. OpenClTestDevice.Runs
            ? [new ForceBackend("opencl", c => c.OpenCl.Supported,
                (model, n, tolerance) => new OpenClEwaldEvaluator(model, EwaldParameterChooser.Choose(model, n, tolerance), OpenClTestDevice.Device),
                true, 1e-8, 1e-8, 1e-5)]
            : Array.Empty<ForceBackend>(),
    ];

    /// <summary>The rows whose accuracy a tolerance sets.</summary>
    public static IEnumerable<ForceBackend> Approximate => All.Where(b => b.Approximate);

    public static ForceBackend Named(string name) => All.Single(b => b.Name == name);

    /// <summary>(backend, d, kernel, regularisation) for every backend and every case of the table it supports that passes <paramref name="filter"/>.</summary>
    public static TheoryData<string, int, KernelType, RegularizationType> Rows(Func<KernelCase, bool>? filter = null)
    {
        var data = new TheoryData<string, int, KernelType, RegularizationType>();
        foreach (var backend in All)
        {
            foreach (var c in KernelCases.All.Where(c => backend.Supports(c) && (filter?.Invoke(c) ?? true)))
            {
                data.Add(backend.Name, c.Dimension, c.Kernel, c.Regularization);
            }
        }
        return data;
    }

    /// <summary>The SIMD paths this machine runs accelerated (scalar always; the runtime switches turn the others off).</summary>
    public static IEnumerable<SimdPath> SupportedSimdPaths() =>
        new[] { SimdPath.Scalar, SimdPath.Avx2, SimdPath.Avx512 }.Where(SimdPaths.IsSupported);
}
