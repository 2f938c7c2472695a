using HpcGB.Engine.Forces;
using HpcGB.Engine.Forces.NearField;

namespace HpcGB.Engine.Tests.NearField;

/// <summary>The cell-list evaluator on every SIMD path against the O(n²) brute force with the scalar operator.</summary>
public class NearFieldEvaluatorTests
{
    private const double Tolerance = 1e-13;

    /// <summary>Cells per axis and a cut-off that allows them (m ≤ ⌊1/r_c⌋).</summary>
    private static readonly (int Cells, double Cutoff)[] Grids = [(1, 0.5), (2, 0.45), (3, 0.3), (7, 0.14)];

    public static TheoryData<ShortRangeKind, SimdPath> KindsAndPaths() => NearFieldSystems.KindsAndPaths(2);

    public static TheoryData<SimdPath> Paths() => [.. NearFieldSystems.ForcedPaths];

    public static TheoryData<ShortRangeKind, SimdPath> OneDimensionalKindsAndPaths() => NearFieldSystems.KindsAndPaths(1);

    [Theory]
    [MemberData(nameof(KindsAndPaths))]
    public void MatchesBruteForceOnEveryConfigurationAndGrid(ShortRangeKind kind, SimdPath path)
    {
        foreach (var (cells, cutoff) in Grids)
        {
            // σ from the cut-off at tolerance 1e-10 (docs/numerics.md §4); δ below σ.
            double sigma = cutoff / Math.Sqrt(2 * Math.Log(1e10));
            Configuration[] configurations =
            [
                NearFieldSystems.Uniform(2, 160, 11),
                NearFieldSystems.Clustered(2, 120, 12),
                NearFieldSystems.SlipPlane(100, 13),
            ];
            foreach (var c in configurations)
            {
                Check(kind, path, c, sigma, 0.2 * sigma, cutoff, cells);
            }
            foreach (double delta in new[] { 1e-6, 1e-9 })
            {
                Check(kind, path, NearFieldSystems.Dipoles(2, 60, 3 * delta, 14), sigma, delta, cutoff, cells);
            }
        }
    }

    [Theory]
    [MemberData(nameof(OneDimensionalKindsAndPaths))]
    public void OneDimensionalKindsMatchBruteForce(ShortRangeKind kind, SimdPath path)
    {
        foreach (var (cells, cutoff) in Grids)
        {
            double sigma = cutoff / Math.Sqrt(2 * Math.Log(1e10));
            Check(kind, path, NearFieldSystems.Uniform(1, 150, 21), sigma, 1e-3 * sigma, cutoff, cells);
            Check(kind, path, NearFieldSystems.Clustered(1, 80, 22), sigma, 0.01 * sigma, cutoff, cells);
            foreach (double delta in new[] { 1e-6, 1e-9 })
            {
                Check(kind, path, NearFieldSystems.Dipoles(1, 50, 3 * delta, 23), sigma, delta, cutoff, cells);
            }
        }
    }

    /// <summary>Every remainder of every width in 1D, tight dipoles included (their lanes take the scalar series).</summary>
    [Theory]
    [MemberData(nameof(OneDimensionalKindsAndPaths))]
    public void OneDimensionalRemainderSweepEqualsScalarPath(ShortRangeKind kind, SimdPath path)
    {
        const double cutoff = 0.1, sigma = 0.02, delta = 1e-5;
        var scalar = NearFieldSystems.Create(1, kind, sigma, delta, cutoff, SimdPath.Scalar, threads: 1, cellsPerAxis: 1);
        var evaluator = NearFieldSystems.Create(1, kind, sigma, delta, cutoff, path, threads: 1, cellsPerAxis: 1);
        for (int n = 0; n <= 4 * 8 + 3; n++)
        {
            var c = NearFieldSystems.Clustered(1, n, 200 + n, side: 0.05);
            for (int i = 1; i < n; i += 3)
            {
                c.X1[i] = c.X1[i - 1] + 3 * delta;
            }
            var (s1, s2, se) = NearFieldSystems.Evaluate(scalar, c);
            var (v1, v2, ve) = NearFieldSystems.Evaluate(evaluator, c);
            var scales = NearFieldSystems.BruteForce(scalar.Operator, c);
            var asReference = new Reference(s1, s2, scales.Scale) { Energy = se, EnergyScale = scales.EnergyScale };
            var (force, energy) = NearFieldSystems.Errors(asReference, v1, v2, ve);
            Assert.True(force <= Tolerance && energy <= Tolerance, $"n = {n}: force {force:E2}, energy {energy:E2}");
        }
    }

    [Theory]
    [MemberData(nameof(KindsAndPaths))]
    public void AutomaticGridMatchesBruteForce(ShortRangeKind kind, SimdPath path)
    {
        // n = 1500 and r_c = 0.05: in 2D the automatic layout is cluster pairs (14 columns, clusters ~0.026 wide).
        const double cutoff = 0.05;
        double sigma = cutoff / Math.Sqrt(2 * Math.Log(1e10));
        Check(kind, path, NearFieldSystems.Uniform(2, 1500, 31), sigma, 0.3 * sigma, cutoff, cells: 0);
    }

    /// <summary>
    /// The cluster-pair layout (2D, automatic grid) against the brute force: cut-offs from ½ (every column and row
    /// within reach, lists wrapping around the torus) down to a few clusters' width, on every configuration.
    /// </summary>
    [Theory]
    [MemberData(nameof(KindsAndPaths))]
    public void ClusterPairsMatchBruteForceOnEveryConfiguration(ShortRangeKind kind, SimdPath path)
    {
        foreach (double cutoff in new[] { 0.5, 0.45, 0.3, 0.14, 0.05 })
        {
            double sigma = cutoff / Math.Sqrt(2 * Math.Log(1e10));
            Configuration[] configurations =
            [
                NearFieldSystems.Uniform(2, 700, 15),
                NearFieldSystems.Clustered(2, 300, 16),
                NearFieldSystems.SlipPlane(200, 17),
            ];
            foreach (var c in configurations)
            {
                Check(kind, path, c, sigma, 0.2 * sigma, cutoff, cells: 0);
            }
            foreach (double delta in new[] { 1e-6, 1e-9 })
            {
                Check(kind, path, NearFieldSystems.Dipoles(2, 150, 3 * delta, 18), sigma, delta, cutoff, cells: 0);
            }
        }
    }

    /// <summary>Cluster pairs: every count 0 … 4·8 + 3 (every padding of a cluster, every remainder of a width) against the scalar path.</summary>
    [Theory]
    [MemberData(nameof(KindsAndPaths))]
    public void ClusterRemainderSweepEqualsScalarPath(ShortRangeKind kind, SimdPath path)
    {
        const double cutoff = 0.1, sigma = 0.02, delta = 0.004;
        var scalar = NearFieldSystems.Create(2, kind, sigma, delta, cutoff, SimdPath.Scalar, threads: 1);
        var evaluator = NearFieldSystems.Create(2, kind, sigma, delta, cutoff, path, threads: 1);
        for (int n = 0; n <= 4 * 8 + 3; n++)
        {
            var c = NearFieldSystems.Clustered(2, n, 300 + n, side: 0.15);
            var (s1, s2, se) = NearFieldSystems.Evaluate(scalar, c);
            var (v1, v2, ve) = NearFieldSystems.Evaluate(evaluator, c);
            Assert.True(evaluator.UsesClusters);
            var scales = NearFieldSystems.BruteForce(scalar.Operator, c);
            var asReference = new Reference(s1, s2, scales.Scale) { Energy = se, EnergyScale = scales.EnergyScale };
            var (force, energy) = NearFieldSystems.Errors(asReference, v1, v2, ve);
            Assert.True(force <= Tolerance && energy <= Tolerance, $"n = {n}: force {force:E2}, energy {energy:E2}");
            var (bruteForce, bruteEnergy) = NearFieldSystems.Errors(scales, s1, s2, se);
            Assert.True(bruteForce <= Tolerance && bruteEnergy <= Tolerance, $"n = {n} scalar: force {bruteForce:E2}, energy {bruteEnergy:E2}");
        }
    }

    /// <summary>Every remainder of every width: 0 … 4·8 + 3 particles, all in one cell.</summary>
    [Theory]
    [MemberData(nameof(KindsAndPaths))]
    public void RemainderSweepEqualsScalarPath(ShortRangeKind kind, SimdPath path)
    {
        const double cutoff = 0.1, sigma = 0.02, delta = 0.004;
        var scalar = NearFieldSystems.Create(2, kind, sigma, delta, cutoff, SimdPath.Scalar, threads: 1, cellsPerAxis: 1);
        var evaluator = NearFieldSystems.Create(2, kind, sigma, delta, cutoff, path, threads: 1, cellsPerAxis: 1);
        for (int n = 0; n <= 4 * 8 + 3; n++)
        {
            var c = NearFieldSystems.Clustered(2, n, 100 + n, side: 0.05);
            var (s1, s2, se) = NearFieldSystems.Evaluate(scalar, c);
            var (v1, v2, ve) = NearFieldSystems.Evaluate(evaluator, c);
            Assert.Equal(n * (n - 1L) / 2, evaluator.CandidatePairs);

            // Differences relative to the rounding scale Σ_j |∇s_ij| of each particle's sum.
            var scales = NearFieldSystems.BruteForce(scalar.Operator, c);
            var asReference = new Reference(s1, s2, scales.Scale) { Energy = se, EnergyScale = scales.EnergyScale };
            var (force, energy) = NearFieldSystems.Errors(asReference, v1, v2, ve);
            Assert.True(force <= Tolerance && energy <= Tolerance, $"n = {n}: force {force:E2}, energy {energy:E2}");
        }
    }

    [Theory]
    [InlineData(ShortRangeKind.Log, 1)]
    [InlineData(ShortRangeKind.Edge, 2)]
    [InlineData(ShortRangeKind.GaussianEdge, 2)]
    [InlineData(ShortRangeKind.GaussianEdge, 3)]
    [InlineData(ShortRangeKind.GaussianLog1D, 2)]
    [InlineData(ShortRangeKind.PoissonLog1D, 3)]
    public void TwoEvaluationsAreBitIdentical(ShortRangeKind kind, int threads)
    {
        int d = NearFieldSystems.DimensionOf(kind);
        var c = NearFieldSystems.Uniform(d, 3000, 41);
        var evaluator = new NearFieldEvaluator(d, kind, 0.01, 0.002, 0.06, SimdPath.Auto, threads);
        var (a1, a2, ae) = NearFieldSystems.Evaluate(evaluator, c);
        var (b1, b2, be) = NearFieldSystems.Evaluate(evaluator, c);
        var fresh = new NearFieldEvaluator(d, kind, 0.01, 0.002, 0.06, SimdPath.Auto, threads);
        var (c1, c2, ce) = NearFieldSystems.Evaluate(fresh, c);
        Assert.Equal(BitConverter.DoubleToInt64Bits(ae), BitConverter.DoubleToInt64Bits(be));
        Assert.Equal(BitConverter.DoubleToInt64Bits(ae), BitConverter.DoubleToInt64Bits(ce));
        Assert.Equal(Bits(a1), Bits(b1));
        Assert.Equal(Bits(a1), Bits(c1));
        Assert.Equal(Bits(a2), Bits(b2));
        Assert.Equal(Bits(a2), Bits(c2));

        static long[] Bits(double[] values) => Array.ConvertAll(values, BitConverter.DoubleToInt64Bits);
    }

    /// <summary>
    /// The cluster layout (2D) sums every slot in an order its stripes fix, whichever thread runs which stripe: the
    /// same forces and energy bit for bit on 1 … 4 threads, where the build runs serially (n = 3000) and in parallel,
    /// fresh and on lists kept under a skin.
    /// </summary>
    [Theory]
    [InlineData(3000, false)]
    [InlineData(3 * CellList.ParallelThreshold, false)]
    [InlineData(3 * CellList.ParallelThreshold, true)]
    public void ClusterPairsAreBitIdenticalOnAnyThreadCount(int n, bool keptLists)
    {
        var c = NearFieldSystems.Uniform(2, n, 42);
        double cutoff = Math.Sqrt(60 / (Math.PI * n));
        (long[] G1, long[] G2, long Energy) Run(int threads)
        {
            var evaluator = new NearFieldEvaluator(2, ShortRangeKind.GaussianLog, 0.3 * cutoff, 0.05 * cutoff, cutoff, threads: threads);
            Assert.True(evaluator.UsesClusters);
            using var attempt = keptLists ? evaluator.BeginAttempt() : null;
            var (g1, g2, energy) = NearFieldSystems.Evaluate(evaluator, c);
            if (keptLists)
            {
                // Moved within the half skin: the second evaluation runs on the first one's lists.
                var moved = c with { X1 = c.X1.Select(x => x + 0.1 * evaluator.Skin).ToArray() };
                (g1, g2, energy) = NearFieldSystems.Evaluate(evaluator, moved);
                Assert.Equal(1, evaluator.ListBuilds);
            }
            return (Bits(g1), Bits(g2), BitConverter.DoubleToInt64Bits(energy));
        }
        var one = Run(1);
        foreach (int threads in new[] { 2, 3, 4 })
        {
            var other = Run(threads);
            Assert.Equal(one.G1, other.G1);
            Assert.Equal(one.G2, other.G2);
            Assert.Equal(one.Energy, other.Energy);
        }

        static long[] Bits(double[] values) => Array.ConvertAll(values, BitConverter.DoubleToInt64Bits);
    }

    /// <summary>The cell lists (1D) sum per part: other thread counts agree to rounding.</summary>
    [Fact]
    public void CellListThreadCountsAgreeToRounding()
    {
        var c = NearFieldSystems.Uniform(1, 3000, 42);
        var one = NearFieldSystems.Evaluate(new NearFieldEvaluator(1, ShortRangeKind.GaussianLog1D, 0.01, 0.002, 0.06, threads: 1), c);
        var four = NearFieldSystems.Evaluate(new NearFieldEvaluator(1, ShortRangeKind.GaussianLog1D, 0.01, 0.002, 0.06, threads: 4), c);
        for (int i = 0; i < c.Count; i++)
        {
            AssertClose(one.G1[i], four.G1[i], $"g1[{i}]", 1e-12);
        }
        AssertClose(one.Energy, four.Energy, "energy", 1e-12);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void ForcedPathThrowsExactlyWhenUnsupported(SimdPath path)
    {
        if (SimdPaths.IsSupported(path))
        {
            var evaluator = new NearFieldEvaluator(2, ShortRangeKind.Log, 0.01, 0, 0.05, path);
            Assert.Equal(path, evaluator.Path);
        }
        else
        {
            var e = Assert.Throws<NotSupportedException>(() => new NearFieldEvaluator(2, ShortRangeKind.Log, 0.01, 0, 0.05, path));
            Assert.Contains(path.ToString(), e.Message);
        }
        Assert.Equal(SimdPaths.Best, new NearFieldEvaluator(2, ShortRangeKind.Log, 0.01, 0, 0.05).Path);
        Assert.Equal(SimdPaths.Best, SimdPaths.Resolve(SimdPath.Auto));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void CollisionOfUnregularisedParticlesIsReported(SimdPath path)
    {
        var c = NearFieldSystems.Uniform(2, 50, 51);
        c.X1[17] = c.X1[3];
        c.X2[17] = c.X2[3];
        foreach (var kind in new[] { ShortRangeKind.Edge, ShortRangeKind.Log })
        {
            var evaluator = NearFieldSystems.Create(2, kind, 0.02, 0, 0.12, path);
            var e = Assert.Throws<CollisionException>(() => NearFieldSystems.Evaluate(evaluator, c));
            Assert.Equal((3, 17), (e.First, e.Second));
        }

        // Regularised: the same configuration is fine, and the coincident pair contributes no force.
        var regular = new NearFieldEvaluator(2, ShortRangeKind.GaussianEdge, 0.02, 0.005, 0.12);
        var (g1, g2, energy) = NearFieldSystems.Evaluate(regular, c);
        Assert.True(double.IsFinite(energy) && g1.All(double.IsFinite) && g2.All(double.IsFinite));
    }

    [Fact]
    public void RejectsInvalidArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NearFieldEvaluator(2, ShortRangeKind.Log, 0.01, 0, 0.6));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NearFieldEvaluator(2, ShortRangeKind.Log, 0.01, 0, 0.2, cellsPerAxis: 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NearFieldEvaluator(2, ShortRangeKind.GaussianEdge, 0.01, 0.01, 0.05));
        Assert.Throws<ArgumentException>(() => new NearFieldEvaluator(1, ShortRangeKind.Edge, 0.01, 0, 0.05));
        Assert.Throws<ArgumentException>(() => new NearFieldEvaluator(2, ShortRangeKind.PoissonLog1D, 0.01, 1e-3, 0.05));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NearFieldEvaluator(1, ShortRangeKind.GaussianLog1D, 0.01, 0, 0.05));
        var evaluator = new NearFieldEvaluator(2, ShortRangeKind.Log, 0.01, 0, 0.05);
        Assert.Throws<ArgumentException>(() => evaluator.Compute(new double[3], new double[2], new sbyte[3], new double[3], new double[3], false));
    }

    private static void Check(ShortRangeKind kind, SimdPath path, Configuration c, double sigma, double delta, double cutoff,
        int cells)
    {
        if (kind == ShortRangeKind.GaussianEdge && !(sigma > delta))
        {
            return;
        }
        var evaluator = NearFieldSystems.Create(c.Dimension, kind, sigma, delta, cutoff, path, threads: 2, cellsPerAxis: cells);
        var reference = NearFieldSystems.BruteForce(evaluator.Operator, c);
        var (g1, g2, energy) = NearFieldSystems.Evaluate(evaluator, c);
        Assert.Equal(cells == 0 && c.Dimension == 2, evaluator.UsesClusters);
        if (!evaluator.UsesClusters)
        {
            Assert.Equal(cells, evaluator.CellsPerAxis);
        }
        var (force, energyError) = NearFieldSystems.Errors(reference, g1, g2, energy);
        string where = $"{kind} {path} {c} {(evaluator.UsesClusters ? "clusters" : $"m = {evaluator.CellsPerAxis}")} r_c = {cutoff}";
        Assert.True(force <= Tolerance, $"{where}: force error {force:E2}");
        Assert.True(energyError <= Tolerance, $"{where}: energy error {energyError:E2}");

        // Forces only gives the same forces.
        var (f1, f2, noEnergy) = NearFieldSystems.Evaluate(evaluator, c, withEnergy: false);
        Assert.True(double.IsNaN(noEnergy));
        Assert.Equal(g1, f1);
        Assert.Equal(g2, f2);
    }

    private static void AssertClose(double expected, double actual, string what, double tolerance = Tolerance)
    {
        double scale = Math.Max(Math.Abs(expected), 1e-300);
        Assert.True(Math.Abs(expected - actual) <= tolerance * scale, $"{what}: {actual:R} vs {expected:R}");
    }
}
