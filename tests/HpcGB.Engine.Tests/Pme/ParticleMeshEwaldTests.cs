using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Forces.Pme;
using HpcGB.Engine.Forces.Reference;
using HpcGB.Engine.Model;
using HpcGB.Engine.Tests.Forces;

namespace HpcGB.Engine.Tests.Pme;

/// <summary>The mesh part alone against direct Fourier sums of the same multiplier L̂.</summary>
public class ParticleMeshEwaldTests
{
    public static TheoryData<int, KernelType, int, SimdPath> MeshCases()
    {
        var data = new TheoryData<int, KernelType, int, SimdPath>();
        foreach (var (d, kernel, order) in new[] { (1, KernelType.Log, 8), (2, KernelType.Log, 8), (2, KernelType.Edge, 8), (2, KernelType.Log, 6), (2, KernelType.Edge, 5) })
        {
            foreach (var path in ForceBackends.SupportedSimdPaths())
            {
                data.Add(d, kernel, order, path);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(MeshCases))]
    public void MeshConvergesToDirectFourierSumAtTheSplineOrder(int d, KernelType kernel, int order, SimdPath path)
    {
        // σM = 2.4 and 4.8: the error must fall by about 2^p (at least 2^(p−1)) and be small at the finer mesh.
        const double sigma = 0.05;
        var model = TestSystems.Model(d, kernel, RegularizationType.None, 0.01);
        var split = EwaldSplit.Create(model, sigma);
        var state = TestSystems.RandomWithDipole(d, 40, 0.01, seed: 9);
        var exact = state.NewVectors();
        double exactEnergy = new FourierSeriesEvaluator(model, split.Multiplier, 40).Evaluate(state, exact, true);
        var coarse = MeshError(d, 48, order, path, split, state, exact, exactEnergy);
        var fine = MeshError(d, 96, order, path, split, state, exact, exactEnergy);
        Assert.True(coarse.Velocity / fine.Velocity >= Math.Pow(2, order - 1), $"velocity error {coarse.Velocity:E2} → {fine.Velocity:E2}");
        Assert.True(fine.Velocity <= 20 * Math.Pow(4.8, -order), $"velocity error {fine.Velocity:E2} at σM = 4.8");
        Assert.True(fine.Energy <= 20 * Math.Pow(4.8, -order), $"energy error {fine.Energy:E2} at σM = 4.8");
    }

    [Fact]
    public void StoredWisdomGivesTheMeshItsMeasuredPlans()
    {
        // Wisdom measured for M = 74, stored, forgotten and loaded: a mesh of that size then plans from it (the same plan
        // in every run with this file) and is as accurate as the estimated plans. 74 = 2·37 is a size the chooser never
        // picks (odd part above 35), so no other test's plan of it can sit in the process-wide plan cache first.
        const double sigma = 0.05;
        var model = TestSystems.Model(2, KernelType.Log, RegularizationType.None, 0.01);
        var split = EwaldSplit.Create(model, sigma);
        var state = TestSystems.RandomWithDipole(2, 40, 0.01, seed: 9);
        var exact = state.NewVectors();
        double exactEnergy = new FourierSeriesEvaluator(model, split.Multiplier, 40).Evaluate(state, exact, true);
        string path = Path.Combine(Path.GetTempPath(), $"hpcgb-mesh-wisdom-{Guid.NewGuid():N}");
        try
        {
            MeshWisdom.Measure(path, 2, [74], threads: 2);
            HpcGB.Interop.Fftw.FftwLibrary.ForgetWisdom();
            Assert.True(HpcGB.Interop.Fftw.FftwLibrary.ImportWisdom(path));
        }
        finally
        {
            File.Delete(path);
        }
        using (var pme = new ParticleMeshEwald(2, 74, 8, split.Multiplier, threads: 2))
        {
            Assert.True(pme.PlannedFromWisdom);
        }
        using (var band = new ParticleMeshEwald(2, 74, 8, split.Multiplier, threads: 2, bandColumns: 16))
        {
            Assert.True(band.PlannedFromWisdom);
        }
        var error = MeshError(2, 74, 8, SimdPaths.Best, split, state, exact, exactEnergy);
        Assert.True(error.Velocity <= 20 * Math.Pow(sigma * 74, -8), $"velocity error {error.Velocity:E2}");
        Assert.True(error.Energy <= 20 * Math.Pow(sigma * 74, -8), $"energy error {error.Energy:E2}");
    }

    private static (double Velocity, double Energy) MeshError(int d, int mesh, int order, SimdPath path, EwaldSplit split,
        ParticleState state, double[][] exact, double exactEnergy)
    {
        int n = state.Count;
        using var pme = new ParticleMeshEwald(d, mesh, order, split.Multiplier, threads: 2, path);
        Assert.Equal(path, pme.Path);
        var g1 = new double[n];
        var g2 = new double[d == 2 ? n : 0];
        double sum = pme.Compute(state.Positions[0], d == 2 ? state.Positions[1] : [], state.Signs, g1, g2, true);
        // The reference reports E = Σ_{ij} b_i b_j L/(2n²) and ẋ = −g/n.
        double err = 0, norm = 0;
        for (int i = 0; i < n; i++)
        {
            err += Sq(-g1[i] / n - exact[0][i]) + (d == 2 ? Sq(-g2[i] / n - exact[1][i]) : 0);
            norm += Sq(exact[0][i]) + (d == 2 ? Sq(exact[1][i]) : 0);
        }
        return (Math.Sqrt(err / norm), Math.Abs(sum / (2.0 * n * n) - exactEnergy) / Math.Abs(exactEnergy));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(16)]
    public void SameThreadCountIsBitIdentical(int? bandColumns)
    {
        var model = TestSystems.Model(2, KernelType.Log, RegularizationType.None, 0.01);
        var split = EwaldSplit.Create(model, 0.05);
        var state = TestSystems.RandomWithDipole(2, 300, 0.01, seed: 4);
        using var pme = new ParticleMeshEwald(2, 48, 6, split.Multiplier, threads: 2, bandColumns: bandColumns);
        var a = (new double[300], new double[300]);
        var b = (new double[300], new double[300]);
        double e1 = pme.Compute(state.Positions[0], state.Positions[1], state.Signs, a.Item1, a.Item2, true);
        double e2 = pme.Compute(state.Positions[0], state.Positions[1], state.Signs, b.Item1, b.Item2, true);
        Assert.Equal(e1, e2);
        Assert.Equal(a.Item1, b.Item1);
        Assert.Equal(a.Item2, b.Item2);
    }

    [Theory]
    [InlineData(64, null)]
    [InlineData(512, 160)]
    public void ResultsDoNotDependOnTheThreadCount(int mesh, int? bandColumns)
    {
        // Spreading writes row bands of alternating parity and gathering is per particle: 1, 2 and 3 threads
        // must agree bit for bit, including particles on the seams x = 0 and x → 1 of both axes (the particle stages
        // forked even for these 500 particles). From 512² points the band's rows and column blocks are cut into one
        // part per thread too (every column block runs one plan; the row parts each their own).
        var model = TestSystems.Model(2, KernelType.Log, RegularizationType.None, 0.01);
        var split = EwaldSplit.Create(model, 0.05);
        var state = TestSystems.RandomWithDipole(2, 500, 0.01, seed: 6);
        state.Positions[0][0] = 0.0;
        state.Positions[1][1] = Math.BitDecrement(1.0);
        state.Positions[0][2] = Math.BitDecrement(1.0);
        state.Positions[1][2] = 0.0;
        (double[] G1, double[] G2, double E) Run(int threads)
        {
            using var pme = new ParticleMeshEwald(2, mesh, 8, split.Multiplier, threads, bandColumns: bandColumns) { ThreadedParticles = 0 };
            Assert.Equal(bandColumns, pme.BandColumns);
            var g = (new double[500], new double[500]);
            // Twice: the second spreads over the first's charges, so a band the clearing missed shows.
            pme.Compute(state.Positions[0], state.Positions[1], state.Signs, g.Item1, g.Item2, true);
            double e = pme.Compute(state.Positions[0], state.Positions[1], state.Signs, g.Item1, g.Item2, true);
            return (g.Item1, g.Item2, e);
        }
        AssertSameOnTwoAndThreeThreadsAsOnOne(Run);
    }

    [Theory]
    [InlineData("uniform", 0.0)]
    [InlineData("clustered", 0.0)]
    [InlineData("uniform", 1e-3)]
    public void TheNearFieldsLayoutOrderAgreesWithTheRowOrderOnAnyThreadCount(string kind, double halfSkin)
    {
        // The mesh on the particles as the near field's cluster layout holds them (its stripes as spreading bands,
        // LayoutBands) against the mesh's own row order: the same sums up to their order (rounding), the same bits on
        // 1, 2 and 3 threads, also after the particles moved within the layout's skin (its slots then hold them in
        // the image nearest where the build saw them, possibly outside [0, 1)).
        const int n = 20_000, mesh = 384;
        var c = kind == "uniform" ? NearField.NearFieldSystems.Uniform(2, n, 81) : NearField.NearFieldSystems.Clustered(2, n, 82);
        var signs = c.Signs;
        var model = TestSystems.Model(2, KernelType.Log, RegularizationType.None, 0.01);
        var split = EwaldSplit.Create(model, 0.01);
        var layout = new ClusterGrid();
        layout.Build(c.X1, c.X2, signs, 0.02, 2, halfSkin);
        double[] x1 = c.X1, x2 = c.X2;
        if (halfSkin > 0)
        {
            x1 = c.X1.Select((x, i) => Wrap(x + 0.9 * halfSkin * Math.Cos(i))).ToArray();
            x2 = c.X2.Select((x, i) => Wrap(x + 0.9 * halfSkin * Math.Sin(i))).ToArray();
            Assert.True(layout.Refresh(x1, x2, 2));
        }
        var rows = (new double[n], new double[n]);
        using (var pme = new ParticleMeshEwald(2, mesh, 8, split.Multiplier, 2))
        {
            double rowEnergy = pme.Compute(x1, x2, signs, rows.Item1, rows.Item2, true);
            var g = (new double[n], new double[n]);
            double energy = pme.Compute(layout, g.Item1, g.Item2, true);
            Assert.Equal(rowEnergy, energy, 1e-12 * Math.Abs(rowEnergy));
            double scale = rows.Item1.Concat(rows.Item2).Max(Math.Abs);
            for (int i = 0; i < n; i++)
            {
                Assert.True(Math.Abs(g.Item1[i] - rows.Item1[i]) <= 1e-12 * scale && Math.Abs(g.Item2[i] - rows.Item2[i]) <= 1e-12 * scale,
                    $"particle {i}: ({g.Item1[i]}, {g.Item2[i]}) against ({rows.Item1[i]}, {rows.Item2[i]})");
            }
        }
        (double[] G1, double[] G2, double E) Run(int threads)
        {
            using var pme = new ParticleMeshEwald(2, mesh, 8, split.Multiplier, threads) { ThreadedParticles = 0 };
            var g = (new double[n], new double[n]);
            // Twice: the second spreads over the first's charges, so a row the clearing missed shows.
            pme.Compute(layout, g.Item1, g.Item2, true);
            double e = pme.Compute(layout, g.Item1, g.Item2, true);
            return (g.Item1, g.Item2, e);
        }
        AssertSameOnTwoAndThreeThreadsAsOnOne(Run);
    }

    private static double Wrap(double x) => x - Math.Floor(x);

    /// <summary>The gradients and the energy of <paramref name="run"/> on 2 and 3 threads equal its own on 1, bit for bit.</summary>
    private static void AssertSameOnTwoAndThreeThreadsAsOnOne(Func<int, (double[] G1, double[] G2, double E)> run)
    {
        var one = run(1);
        foreach (int threads in new[] { 2, 3 })
        {
            var other = run(threads);
            Assert.Equal(one.E, other.E);
            Assert.Equal(one.G1, other.G1);
            Assert.Equal(one.G2, other.G2);
        }
    }

    [Fact]
    public void StencilPolynomialsMatchTheRecursionAtEveryWidth()
    {
        // The Horner form (increasing mesh order) against the recursion (w[j] = M_p(frac + j)), every order and
        // SIMD width (the vector types fall back to software where the hardware lacks them: same results).
        StencilMatchesTheRecursion<ScalarStencil>();
        StencilMatchesTheRecursion<Stencil256>();
        StencilMatchesTheRecursion<Stencil512>();
    }

    private static void StencilMatchesTheRecursion<TLanes>()
        where TLanes : struct, IStencilLanes
    {
        for (int p = BSpline.MinOrder; p <= BSpline.MaxOrder; p++)
        {
            var stencil = new BSplineStencil(p);
            var w = new double[p];
            var dw = new double[p];
            var fast = new double[p];
            var dfast = new double[p];
            double worst = 0;
            for (int k = 0; k <= 1000; k++)
            {
                double frac = Math.Min(k / 1000.0, Math.BitDecrement(1.0));
                BSpline.Weights(frac, p, w, dw);
                stencil.Weights<TLanes>(frac, fast, dfast);
                for (int j = 0; j < p; j++)
                {
                    worst = Math.Max(worst, Math.Abs(fast[p - 1 - j] - w[j]));
                    worst = Math.Max(worst, Math.Abs(dfast[p - 1 - j] - dw[j]));
                }
                stencil.Weights<TLanes>(frac, fast);
                for (int j = 0; j < p; j++)
                {
                    worst = Math.Max(worst, Math.Abs(fast[p - 1 - j] - w[j]));
                }
            }
            Assert.True(worst < 2e-15, $"{typeof(TLanes).Name} order {p}: largest deviation {worst:E2}");
        }
    }

    [Fact]
    public void Order8ParticleKernelsMatchTheRowByRowStencilAtEveryWidth()
    {
        // Spread8 and Gather8 (the whole particle in one piece, weights in registers) against the same width's
        // weights and row-by-row MeshStencil loops, bit for bit: the same terms in the same order, including stencils
        // whose rows wrap around the mesh and one that ends on its last column.
        Order8KernelsMatchTheRows<ScalarStencil>();
        Order8KernelsMatchTheRows<Stencil256>();
        Order8KernelsMatchTheRows<Stencil512>();
    }

    private static void Order8KernelsMatchTheRows<TLanes>()
        where TLanes : struct, IStencilLanes
    {
        const int mesh = 24;
        var stencil = new BSplineStencil(8);
        var random = new Random(5);
        var potential = Enumerable.Range(0, mesh * mesh).Select(_ => random.NextDouble() - 0.5).ToArray();
        var fast = new double[mesh * mesh];
        var rows = new double[mesh * mesh];
        var scratch = new GatherScratch(new double[GatherScratch.Buffers * 8], 8);
        foreach (var (r0, c0) in new[] { (0, 0), (5, 9), (mesh - 3, 4), (mesh - 1, mesh - 8), (mesh - 8, 16) })
        {
            double f1 = random.NextDouble(), f2 = random.NextDouble();
            double s = random.Next(2) == 0 ? -1 : 1;
            var at = new StencilPlacement(r0, c0, mesh);
            stencil.Weights<TLanes>(f1, scratch.W1, scratch.D1);
            stencil.Weights<TLanes>(f2, scratch.W2, scratch.D2);
            TLanes.Spread8(fast, at, f1, f2, s, stencil);
            MeshStencil.Spread<TLanes>(rows, mesh, mesh, r0, c0, s, scratch.W1, scratch.W2);
            Assert.Equal(rows, fast);
            var expected = MeshStencil.Gather<TLanes>(potential, mesh, mesh, r0, c0, scratch);
            Assert.Equal(expected, TLanes.Gather8(potential, at, f1, f2, stencil));
        }
        Assert.Contains(fast, v => v != 0);
    }

    [Fact]
    public void BSplineWeightsPartitionUnityAndDifferentiate()
    {
        for (int p = BSpline.MinOrder; p <= BSpline.MaxOrder; p++)
        {
            var w = new double[p];
            var dw = new double[p];
            var wp = new double[p];
            var wm = new double[p];
            foreach (double frac in new[] { 0.0, 0.13, 0.5, 0.999 })
            {
                BSpline.Weights(frac, p, w, dw);
                double sum = 0, dsum = 0;
                for (int j = 0; j < p; j++)
                {
                    sum += w[j];
                    dsum += dw[j];
                }
                Assert.Equal(1.0, sum, 14);
                Assert.Equal(0.0, dsum, 14);
                if (frac is > 0.01 and < 0.99)
                {
                    const double h = 1e-6;
                    BSpline.Weights(frac + h, p, wp);
                    BSpline.Weights(frac - h, p, wm);
                    for (int j = 0; j < p; j++)
                    {
                        Assert.Equal((wp[j] - wm[j]) / (2 * h), dw[j], 8);
                    }
                }
            }
        }
    }

    private static double Sq(double x) => x * x;
}
