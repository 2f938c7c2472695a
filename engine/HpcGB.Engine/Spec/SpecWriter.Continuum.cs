using System.Text;
using System.Text.Json;
using HpcGB.Engine.Continuum;

namespace HpcGB.Engine.Spec;

public static partial class SpecWriter
{
    /// <summary>
    /// The normalised JSON of a continuum spec (docs/continuum.md): <c>"model": "continuum"</c> first, then the
    /// physics keys as for particles, <c>grid</c>, <c>densities</c> (grids as grids, Fourier densities as
    /// <c>{mean, modes}</c> with every coefficient) and <c>time</c> {end, outputs, cfl}.
    /// </summary>
    public static string ToJson(ContinuumSpec spec, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(spec);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented, NewLine = "\n" }))
        {
            writer.WriteStartObject();
            writer.WriteString("model", SpecNames.Model.NameOf(RunModel.Continuum));
            WriteSystem(writer, spec.System);
            writer.WritePropertyName("grid");
            WriteArray(writer, spec.Grid);
            writer.WriteStartObject("densities");
            writer.WritePropertyName("positive");
            WriteDensity(writer, spec.Positive);
            writer.WritePropertyName("negative");
            WriteDensity(writer, spec.Negative);
            writer.WriteEndObject();
            writer.WriteStartObject("time");
            writer.WriteNumber("end", spec.End);
            writer.WriteNumber("outputs", spec.Outputs);
            writer.WriteNumber("cfl", spec.Cfl);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteDensity(Utf8JsonWriter writer, ContinuumDensity density)
    {
        switch (density)
        {
            case GridDensity g:
                WriteGrid(writer, g.Grid);
                break;
            case ModeDensity m:
                writer.WriteStartObject();
                writer.WriteNumber("mean", m.Mean);
                WriteModes(writer, m.Modes);
                writer.WriteEndObject();
                break;
            default:
                throw new ArgumentException($"unknown density {density.GetType().Name}", nameof(density));
        }
    }
}
