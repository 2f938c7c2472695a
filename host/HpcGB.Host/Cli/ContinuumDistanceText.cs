using System.Globalization;
using System.Text;
using System.Text.Json;
using HpcGB.Engine.Analysis.Transport;
using HpcGB.Host.Output;

namespace HpcGB.Host.Cli;

/// <summary>The text and JSON forms of a <see cref="ContinuumDistanceReport"/>.</summary>
internal static class ContinuumDistanceText
{
    public static string ToText(ContinuumDistanceReport report)
    {
        var culture = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        string particlesDelta = report.ParticlesDelta is { } d ? d.ToString("G6", culture) : "unknown";
        text.AppendLine(string.Create(culture, $"particles: {report.ParticlesPath}  n = {report.Count}  δ = {particlesDelta}"));
        text.AppendLine(string.Create(culture, $"continuum: {report.ContinuumPath}  grid {string.Join("×", report.Grid)}  δ = {report.ContinuumDelta:G6}"));
        if (report.ParticlesDelta is { } delta && delta != report.ContinuumDelta)
        {
            text.AppendLine("note: the runs have different δ; each ran with its own");
        }
        bool oneD = report.Grid.Length == 1;
        text.AppendLine(oneD
            ? "t            H⁻¹(ρ⁺)      H⁻¹(ρ⁻)      H⁻¹(κ)       W₂(ρ⁺)       W₂(ρ⁻)"
            : "t            H⁻¹(ρ⁺)      H⁻¹(ρ⁻)      H⁻¹(κ)");
        foreach (var row in report.Rows)
        {
            var d2 = row.Distance;
            text.Append(string.Create(culture, $"{row.Time,-12:G6} {d2.Positive,-12:E4} {d2.Negative,-12:E4} {d2.Kappa,-12:E4}"));
            if (d2.W2 is { } w2)
            {
                text.Append(string.Create(culture, $" {Value(w2.Positive),-12} {Value(w2.Negative)}"));
            }
            text.AppendLine();
        }
        if (report.Rows.Count > 1)
        {
            string w2 = oneD ? string.Create(culture, $", W₂(ρ⁺) + W₂(ρ⁻) = {report.Rows.Max(r => r.Distance.W2Sum):E4}") : "";
            text.AppendLine(string.Create(culture,
                $"sup over t: H⁻¹(ρ⁺) + H⁻¹(ρ⁻) = {report.Rows.Max(r => r.Distance.Sum):E4}, H⁻¹(κ) = {report.Rows.Max(r => r.Distance.Kappa):E4}{w2}"));
        }
        text.Append("H⁻¹ on the continuum grid (particles of mass 1/n deposited by cloud-in-cell); W₂ exact on the circle, each sign normalised.");
        return text.ToString();
    }

    public static string ToJson(ContinuumDistanceReport report)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonOutput.Indented))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("particles");
            writer.WriteString("path", report.ParticlesPath);
            writer.WriteNumber("particles", report.Count);
            if (report.ParticlesDelta is { } delta)
            {
                writer.WriteNumber("delta", delta);
            }
            else
            {
                writer.WriteNull("delta");
            }
            writer.WriteEndObject();
            writer.WriteStartObject("continuum");
            writer.WriteString("path", report.ContinuumPath);
            writer.WriteStartArray("grid");
            foreach (int m in report.Grid)
            {
                writer.WriteNumberValue(m);
            }
            writer.WriteEndArray();
            writer.WriteNumber("delta", report.ContinuumDelta);
            writer.WriteEndObject();
            writer.WriteStartArray("times");
            foreach (var row in report.Rows)
            {
                writer.WriteStartObject();
                writer.WriteNumber("t", row.Time);
                writer.WriteNumber("particle_frame", row.ParticleFrame);
                writer.WriteNumber("continuum_frame", row.ContinuumFrame);
                writer.WriteStartObject("h_minus_one");
                writer.WriteNumber("positive", row.Distance.Positive);
                writer.WriteNumber("negative", row.Distance.Negative);
                writer.WriteNumber("kappa", row.Distance.Kappa);
                writer.WriteEndObject();
                if (row.Distance.W2 is { } w2)
                {
                    writer.WriteStartObject("w2");
                    WriteValue(writer, "positive", w2.Positive);
                    WriteValue(writer, "negative", w2.Negative);
                    writer.WriteEndObject();
                }
                else
                {
                    writer.WriteNull("w2");
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Value(W2Result? result) =>
        result is null ? "–" : result.Value.ToString("E4", CultureInfo.InvariantCulture);

    private static void WriteValue(Utf8JsonWriter writer, string name, W2Result? result)
    {
        if (result is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteNumber(name, result.Value);
        }
    }
}
