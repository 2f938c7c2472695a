using System.Globalization;

namespace HpcGB.Host.Experiments;

/// <summary>The progress line of one finished run.</summary>
internal static class ExperimentLog
{
    public static string Line(ComparisonRow r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Case}{(double.IsFinite(r.Parameter) ? $" β={r.Parameter:G3}" : "")} n={r.N} δ={r.Delta:G3}: sup distance {r.SupDistance:E3} " +
        $"{(double.IsFinite(r.SupW2) ? $"(W₂ {r.SupW2:E3}) " : "")}" +
        $"(t=0 {r.InitialDistance:E3}, t=T {r.FinalDistance:E3}" +
        $"{(double.IsFinite(r.SupResolved) ? $", resolved d_δ(0) {r.InitialResolved:E3} sup {r.SupResolved:E3}" : "")}, PDE motion {r.PdeMotion:E3}, particle motion {r.ParticleMotion:E3}" +
        $"{(double.IsFinite(r.CentreDrift) ? $", centre drift {r.CentreDrift:E3}" : "")}) " +
        $"{r.ParticleSteps} steps, {r.ParticleSeconds:F1}+{r.PdeSeconds:F1} s");
}
