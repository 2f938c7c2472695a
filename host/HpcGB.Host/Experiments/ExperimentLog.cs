using System.Globalization;

namespace HpcGB.Host.Experiments;

/// <summary>The progress line of one finished run.</summary>
internal static class ExperimentLog
{
    public static string Line(ComparisonRow r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Case}{(double.IsFinite(r.Parameter) ? $" β={r.Parameter:G3}" : "")} n={r.N} δ={r.Delta:G3}: sup distance {r.SupDistance:E3} " +
        $"(t=0 {r.InitialDistance:E3}, PDE motion {r.PdeMotion:E3}, particle motion {r.ParticleMotion:E3}" +
        $"{(double.IsFinite(r.CentreDrift) ? $", centre drift {r.CentreDrift:E3}" : "")}) " +
        $"{r.ParticleSteps} steps, {r.ParticleSeconds:F1}+{r.PdeSeconds:F1} s");
}
