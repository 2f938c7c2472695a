using System.Globalization;
using System.Text;

namespace HpcGB.Host.Experiments;

/// <summary>
/// The tables of one experiment: <c>results.csv</c> (one line per particle run, every column),
/// <c>distances.csv</c> (the distances at every output time of every run) and <c>results.md</c> (a heading, what
/// was run, a table ready to paste into a paper, the fitted rates).
/// </summary>
internal sealed class ExperimentReport(string title, string setup)
{
    private readonly List<string> _fits = [];

    public List<ComparisonRow> Rows { get; } = [];

    /// <summary>Adds a line to the "fitted rates" list of results.md.</summary>
    public void AddFit(string line) => _fits.Add(line);

    public void WriteCsv(string path)
    {
        var text = new StringBuilder();
        text.AppendLine("case,parameter,n,delta,sup_distance,sup_w2,initial_distance,final_distance,sup_growth,initial_resolved,sup_resolved,pde_motion,particle_motion,centre_drift,n2_delta,particle_steps,particle_seconds,pde_seconds");
        foreach (var r in Rows)
        {
            text.AppendLine(string.Join(",",
                r.Case, Number(r.Parameter), r.N.ToString(CultureInfo.InvariantCulture), Number(r.Delta), Number(r.SupDistance), Number(r.SupW2),
                Number(r.InitialDistance), Number(r.FinalDistance), Number(r.SupGrowth), Number(r.InitialResolved), Number(r.SupResolved),
                Number(r.PdeMotion), Number(r.ParticleMotion), Number(r.CentreDrift),
                Number((double)r.N * r.N * r.Delta), r.ParticleSteps.ToString(CultureInfo.InvariantCulture),
                Number(r.ParticleSeconds), Number(r.PdeSeconds)));
        }
        File.WriteAllText(path, text.ToString());
    }

    /// <summary>One line per run and output time: d(t), the 1D W₂ distance and the resolved distance d_δ(t) (empty
    /// where not measured).</summary>
    public void WriteTimeSeriesCsv(string path)
    {
        var text = new StringBuilder();
        text.AppendLine("case,parameter,n,t,distance,w2,resolved_distance");
        foreach (var r in Rows)
        {
            for (int k = 0; k < r.Times.Length; k++)
            {
                text.AppendLine(string.Join(",",
                    r.Case, Number(r.Parameter), r.N.ToString(CultureInfo.InvariantCulture), Number(r.Times[k]), Number(r.Distances[k]),
                    r.W2Distances.Length > 0 ? Number(r.W2Distances[k]) : "", r.ResolvedDistances is { } resolved ? Number(resolved[k]) : ""));
            }
        }
        File.WriteAllText(path, text.ToString());
    }

    /// <param name="withEvolution">Split the distance over time: d(0), d(T), sup_t d, sup_t (d(t) − d(0)), and the
    /// resolved distance d_δ at t = 0 and its sup over t.</param>
    public void WriteMarkdown(string path, bool withParameter, bool withDrift, bool withW2, bool withEvolution = false)
    {
        var text = new StringBuilder();
        text.AppendLine($"# {title}").AppendLine().AppendLine(setup).AppendLine();
        var header = new List<string> { "case" };
        if (withParameter)
        {
            header.Add("β");
        }
        header.AddRange(withEvolution
            ? ["n", "δ_n", "d(0)", "d(T)", "sup_t d", "sup_t (d − d(0))", "d_δ(0)", "sup_t d_δ"]
            : ["n", "δ_n", "sup_t d(μ_n, ρ)"]);
        if (withW2)
        {
            header.Add("sup_t W₂ (1D)");
        }
        header.AddRange(withEvolution ? ["PDE motion"] : ["d at t = 0", "PDE motion", "particle motion"]);
        if (withDrift)
        {
            header.AddRange(["centre drift", "n²δ_n"]);
        }
        header.Add("wall s");
        text.AppendLine("| " + string.Join(" | ", header) + " |");
        text.AppendLine("|" + string.Concat(header.Select(_ => "---|")));
        foreach (var r in Rows)
        {
            var cells = new List<string> { r.Case };
            if (withParameter)
            {
                cells.Add(r.Parameter.ToString("G3", CultureInfo.InvariantCulture));
            }
            cells.AddRange(withEvolution
                ? [r.N.ToString(CultureInfo.InvariantCulture), Short(r.Delta), Short(r.InitialDistance), Short(r.FinalDistance),
                    Short(r.SupDistance), Short(r.SupGrowth), Short(r.InitialResolved), Short(r.SupResolved)]
                : [r.N.ToString(CultureInfo.InvariantCulture), Short(r.Delta), Short(r.SupDistance)]);
            if (withW2)
            {
                cells.Add(Short(r.SupW2));
            }
            cells.AddRange(withEvolution
                ? [Short(r.PdeMotion)]
                : [Short(r.InitialDistance), Short(r.PdeMotion), Short(r.ParticleMotion)]);
            if (withDrift)
            {
                cells.AddRange([Short(r.CentreDrift), Short((double)r.N * r.N * r.Delta)]);
            }
            cells.Add((r.ParticleSeconds + r.PdeSeconds).ToString("F1", CultureInfo.InvariantCulture));
            text.AppendLine("| " + string.Join(" | ", cells) + " |");
        }
        text.AppendLine();
        text.AppendLine("d = Σ_± ‖μ_n^± − ρ^±‖_{H^{−1}} on the PDE grid (particles deposited by cloud-in-cell); motion = sup_t d(state(t), state(0)); W₂ = W₂(μ_n⁺, ρ⁺) + W₂(μ_n⁻, ρ⁻), exact on the circle.");
        if (withEvolution)
        {
            text.AppendLine().AppendLine("d(0) is the quantisation of ρ₀; sup_t (d − d(0)) what the evolution adds to it (0: never above d(0)). d_δ = Σ_± ‖G_δ * (μ_n^± − ρ^±)‖_{H^{−1}} (Gaussian G_δ at δ_n, exact Fourier sums): the distance at the scales the regularised interaction resolves, without the ~1/n floor that n points have against any smooth density.");
        }
        if (_fits.Count > 0)
        {
            text.AppendLine().AppendLine("Fitted rates (least squares in log–log):").AppendLine();
            foreach (string fit in _fits)
            {
                text.AppendLine($"- {fit}");
            }
        }
        File.WriteAllText(path, text.ToString());
    }

    private static string Number(double value) =>
        double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Short(double value) =>
        !double.IsFinite(value) ? "–" : value == 0 ? "0" : value.ToString("0.###e+0", CultureInfo.InvariantCulture);
}
