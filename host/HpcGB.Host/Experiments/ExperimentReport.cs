using System.Globalization;
using System.Text;

namespace HpcGB.Host.Experiments;

/// <summary>
/// The tables of one experiment: <c>results.csv</c> (one line per particle run, every column) and
/// <c>results.md</c> (a heading, what was run, a table ready to paste into a paper, the fitted rates).
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
        text.AppendLine("case,parameter,n,delta,sup_distance,initial_distance,pde_motion,particle_motion,centre_drift,n2_delta,particle_steps,particle_seconds,pde_seconds");
        foreach (var r in Rows)
        {
            text.AppendLine(string.Join(",",
                r.Case, Number(r.Parameter), r.N.ToString(CultureInfo.InvariantCulture), Number(r.Delta), Number(r.SupDistance),
                Number(r.InitialDistance), Number(r.PdeMotion), Number(r.ParticleMotion), Number(r.CentreDrift),
                Number((double)r.N * r.N * r.Delta), r.ParticleSteps.ToString(CultureInfo.InvariantCulture),
                Number(r.ParticleSeconds), Number(r.PdeSeconds)));
        }
        File.WriteAllText(path, text.ToString());
    }

    public void WriteMarkdown(string path, bool withParameter, bool withDrift)
    {
        var text = new StringBuilder();
        text.AppendLine($"# {title}").AppendLine().AppendLine(setup).AppendLine();
        var header = new List<string> { "case" };
        if (withParameter)
        {
            header.Add("β");
        }
        header.AddRange(["n", "δ_n", "sup_t d(μ_n, ρ)", "d at t = 0", "PDE motion", "particle motion"]);
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
            cells.AddRange([
                r.N.ToString(CultureInfo.InvariantCulture), Short(r.Delta), Short(r.SupDistance), Short(r.InitialDistance),
                Short(r.PdeMotion), Short(r.ParticleMotion)]);
            if (withDrift)
            {
                cells.AddRange([Short(r.CentreDrift), Short((double)r.N * r.N * r.Delta)]);
            }
            cells.Add((r.ParticleSeconds + r.PdeSeconds).ToString("F1", CultureInfo.InvariantCulture));
            text.AppendLine("| " + string.Join(" | ", cells) + " |");
        }
        text.AppendLine();
        text.AppendLine("d = Σ_± ‖μ_n^± − ρ^±‖_{H^{−1}} on the PDE grid (particles deposited by cloud-in-cell); motion = sup_t d(state(t), state(0)).");
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
        double.IsFinite(value) ? value.ToString("0.###e+0", CultureInfo.InvariantCulture) : "–";
}
