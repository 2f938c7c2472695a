using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using HpcGB.Engine.Forces.NearField;

namespace HpcGB.Bench;

/// <summary>
/// The near-field pair loop: one full <see cref="NearFieldEvaluator.Compute"/> (binning, pairs, reduction; forces
/// only) per SIMD path supported here, kernel and layout (cluster pairs, the 2D default, or the cell list), n uniform
/// particles, r_c for about 40 neighbours within r_c per particle (≈ 58 candidate pairs per particle with cells of
/// side ≥ r_c), 2 threads. The "Mcand/s" column is the cell list's candidate pairs per second of the whole evaluation
/// (for both layouts, so that the rows compare). Run with <c>--filter *NearField* --job short</c>.
/// </summary>
[Config(typeof(NearFieldConfig))]
public class NearFieldBenchmarks
{
    public const int Threads = 2;
    public const double Neighbours = 40;

    private NearFieldEvaluator _evaluator = null!;
    private double[] _x1 = [], _x2 = [], _g1 = [], _g2 = [];
    private sbyte[] _signs = [];

    [Params(100_000, 1_000_000)]
    public int N { get; set; }

    [Params(ShortRangeKind.Log, ShortRangeKind.Edge, ShortRangeKind.GaussianLog, ShortRangeKind.GaussianEdge)]
    public ShortRangeKind Kind { get; set; }

    [ParamsSource(nameof(Paths))]
    public SimdPath Path { get; set; }

    [Params(NearFieldLayout.Clusters, NearFieldLayout.Cells)]
    public NearFieldLayout Layout { get; set; }

    /// <summary>The forced paths this machine supports (AVX-512 only where Vector512 is accelerated).</summary>
    public static IEnumerable<SimdPath> Paths => new[] { SimdPath.Avx512, SimdPath.Avx2, SimdPath.Scalar }.Where(SimdPaths.IsSupported);

    [GlobalSetup]
    public void Setup()
    {
        (_x1, _x2, _signs) = Uniform(N);
        _g1 = new double[N];
        _g2 = new double[N];
        _evaluator = Create(N, Kind, Path, Layout);
    }

    [Benchmark]
    public double Compute() => _evaluator.Compute(_x1, _x2, _signs, _g1, _g2, withEnergy: false);

    /// <summary>The benchmark's evaluator: r_c from πr_c²n = 40, σ = r_c/√(2 ln 1e8), δ = σ/5.</summary>
    public static NearFieldEvaluator Create(int n, ShortRangeKind kind, SimdPath path, NearFieldLayout layout)
    {
        double cutoff = Math.Sqrt(Neighbours / (Math.PI * n));
        double sigma = cutoff / Math.Sqrt(2 * Math.Log(1e8));
        // Requesting the cell list's own automatic grid selects the cell list.
        int cells = layout == NearFieldLayout.Cells
            ? NearFieldEvaluator.AutomaticCellsPerAxis(2, n, NearFieldEvaluator.MaxCellsPerAxis(cutoff))
            : 0;
        return new NearFieldEvaluator(2, kind, sigma, 0.2 * sigma, cutoff, path, Threads, cells);
    }

    /// <summary>Uniform positions (seed 1) with alternating signs.</summary>
    public static (double[] X1, double[] X2, sbyte[] Signs) Uniform(int n)
    {
        var random = new Random(1);
        var (x1, x2, signs) = (new double[n], new double[n], new sbyte[n]);
        for (int i = 0; i < n; i++)
        {
            x1[i] = random.NextDouble();
            x2[i] = random.NextDouble();
            signs[i] = (sbyte)(i % 2 == 0 ? 1 : -1);
        }
        return (x1, x2, signs);
    }

    private sealed class NearFieldConfig : ManualConfig
    {
        public NearFieldConfig() => AddColumn(new CandidatePairsPerSecondColumn());
    }

    /// <summary>Candidate pairs per second: the candidates of one evaluation (recounted here) over the mean time.</summary>
    private sealed class CandidatePairsPerSecondColumn : IColumn
    {
        private static readonly ConcurrentDictionary<int, long> Candidates = new();

        public string Id => nameof(CandidatePairsPerSecondColumn);

        public string ColumnName => "Mcand/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Candidate pairs examined per second (millions), whole evaluation";

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var statistics = summary[benchmarkCase]?.ResultStatistics;
            if (statistics is null || benchmarkCase.Parameters["N"] is not int n)
            {
                return "-";
            }
            // The candidate count depends only on the positions and the grid, not on the kernel or path.
            long candidates = Candidates.GetOrAdd(n, static n =>
            {
                var (x1, x2, signs) = Uniform(n);
                var evaluator = Create(n, ShortRangeKind.Log, SimdPath.Auto, NearFieldLayout.Cells);
                evaluator.Compute(x1, x2, signs, new double[n], new double[n], withEnergy: false);
                return evaluator.CandidatePairs;
            });
            return (candidates / (statistics.Mean * 1e-9) / 1e6).ToString("F0");
        }
    }
}

/// <summary>The near field's pair layout in <see cref="NearFieldBenchmarks"/>.</summary>
public enum NearFieldLayout
{
    /// <summary>Cluster pairs (the 2D default).</summary>
    Clusters,

    /// <summary>The cell list with its automatic grid.</summary>
    Cells,
}
