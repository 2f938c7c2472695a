using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Spec;

/// <summary>
/// Writes a <see cref="SimulationSpec"/> as its normalised JSON: every field explicit (defaults included), keys in
/// schema order, enums by their lowercase names, vectors always as arrays, doubles in shortest round-trip form.
/// For a spec produced by <see cref="SpecReader"/>, <c>SpecReader.Parse(ToJson(spec))</c> equals it field by field.
/// </summary>
public static partial class SpecWriter
{
    /// <summary>The normalised JSON of a valid spec (LF line breaks, 2-space indent when indented).</summary>
    public static string ToJson(SimulationSpec spec, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(spec);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented, NewLine = "\n" }))
        {
            Write(writer, spec);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void Write(Utf8JsonWriter writer, SimulationSpec spec)
    {
        writer.WriteStartObject();
        WriteSystem(writer, spec.System);

        writer.WritePropertyName("particles");
        WriteParticles(writer, spec.Particles);

        var time = spec.Time;
        writer.WriteStartObject("time");
        writer.WriteNumber("end", time.End);
        writer.WriteString("integrator", SpecNames.Integrator.NameOf(time.Integrator));
        writer.WriteNumber("rtol", time.Rtol);
        writer.WriteNumber("atol", time.Atol);
        writer.WriteNumber("outputs", time.Outputs);
        writer.WriteNumber("step", time.Step);
        if (time.HasImplicitSettings)
        {
            writer.WriteNumber("max_order", time.MaxOrder);
            writer.WriteString("error", SpecNames.ErrorControl.NameOf(time.Error));
        }
        writer.WriteEndObject();

        writer.WriteStartObject("forces");
        writer.WriteString("method", SpecNames.ForceMethod.NameOf(spec.Forces.Method));
        writer.WriteNumber("tolerance", spec.Forces.Tolerance);
        writer.WriteString("simd", SpecNames.Simd.NameOf(spec.Forces.Simd));
        writer.WriteNumber("threads", spec.Forces.Threads);
        writer.WriteString("device", SpecNames.Device.NameOf(spec.Forces.Device));
        if (spec.Forces.OpenCl is { } openCl)
        {
            writer.WriteStartObject("opencl");
            writer.WriteNumber("platform", openCl.Platform);
            writer.WriteNumber("device", openCl.Device);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();

        writer.WriteNumber("seed", spec.Seed);

        writer.WriteStartObject("outputs");
        writer.WriteBoolean("velocities", spec.Outputs.Velocities);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>The physics keys shared by both models: dimension … external.</summary>
    private static void WriteSystem(Utf8JsonWriter writer, SystemModel system)
    {
        writer.WriteNumber("dimension", system.Dimension);
        writer.WriteString("kernel", SpecNames.Kernel.NameOf(system.Kernel));
        writer.WriteString("mobility", SpecNames.Mobility.NameOf(system.Mobility));

        writer.WriteStartObject("regularization");
        writer.WriteString("type", SpecNames.Regularization.NameOf(system.Regularization.Type));
        writer.WriteNumber("delta", system.Regularization.Delta);
        writer.WriteEndObject();

        writer.WriteStartObject("external");
        WriteModes(writer, system.External.Modes);
        writer.WritePropertyName("force");
        WriteArray(writer, system.External.Force);
        writer.WriteEndObject();
    }

    /// <summary>A <c>modes</c> array: every mode with k, cos and sin.</summary>
    private static void WriteModes(Utf8JsonWriter writer, IReadOnlyList<FourierMode> modes)
    {
        writer.WriteStartArray("modes");
        foreach (var mode in modes)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("k");
            WriteArray(writer, mode.K);
            writer.WriteNumber("cos", mode.Cos);
            writer.WriteNumber("sin", mode.Sin);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static void WriteParticles(Utf8JsonWriter writer, ParticleSource source)
    {
        writer.WriteStartObject();
        switch (source)
        {
            case ExplicitParticles p:
                writer.WritePropertyName("positions");
                WriteRows(writer, p.Positions.Length, i => p.Positions[i]);
                writer.WritePropertyName("signs");
                WriteArray(writer, Array.ConvertAll(p.Signs, sign => (int)sign));
                break;
            case UniformParticles p:
                writer.WriteString("init", SpecNames.Init.NameOf(ParticleInit.Uniform));
                writer.WriteNumber("n", p.Count);
                writer.WriteNumber("positive_fraction", p.PositiveFraction);
                break;
            case DensityParticles p:
                writer.WriteString("init", SpecNames.Init.NameOf(ParticleInit.Density));
                writer.WriteNumber("n", p.Count);
                writer.WritePropertyName("positive");
                WriteGrid(writer, p.Positive);
                writer.WritePropertyName("negative");
                WriteGrid(writer, p.Negative);
                break;
            case DipoleParticles p:
                writer.WriteString("init", SpecNames.Init.NameOf(ParticleInit.Dipoles));
                writer.WriteNumber("count", p.Count);
                writer.WritePropertyName("half_width");
                WriteArray(writer, p.HalfWidth);
                writer.WriteBoolean("random_orientation", p.RandomOrientation);
                if (p.CentreDensity is { } centres)
                {
                    writer.WritePropertyName("centre_density");
                    WriteGrid(writer, centres);
                }
                break;
            default:
                throw new ArgumentException($"unknown particle source {source.GetType().Name}", nameof(source));
        }
        writer.WriteEndObject();
    }

    /// <summary>1D: a list of M numbers; 2D: M1 rows of M2 numbers (row-major, x1 slowest).</summary>
    private static void WriteGrid(Utf8JsonWriter writer, DensityGrid grid)
    {
        switch (grid.Shape)
        {
            case [int m] when grid.Values.Length == m:
                WriteArray(writer, grid.Values);
                break;
            case [int rows, int columns] when grid.Values.Length == rows * columns:
                WriteRows(writer, rows, r => grid.Values.AsMemory(r * columns, columns));
                break;
            default:
                throw new ArgumentException(
                    $"grid shape [{string.Join(", ", grid.Shape)}] does not fit {grid.Values.Length} values", nameof(grid));
        }
    }

    /// <summary>
    /// An array of rows (explicit positions, a 2D grid) as raw JSON: one row per line when indented (the writer
    /// does not indent raw values inside arrays, so the line breaks are written here), one line otherwise.
    /// </summary>
    private static void WriteRows(Utf8JsonWriter writer, int count, Func<int, ReadOnlyMemory<double>> row)
    {
        var options = writer.Options;
        var buffer = new ArrayBufferWriter<byte>();
        byte[] rowBreak = [], endBreak = [];
        if (options.Indented)
        {
            // CurrentDepth is the depth of the object that holds this property; rows sit one level deeper.
            string outer = new(options.IndentCharacter, options.IndentSize * writer.CurrentDepth);
            string inner = outer + new string(options.IndentCharacter, options.IndentSize);
            rowBreak = Encoding.UTF8.GetBytes(options.NewLine + inner);
            endBreak = count > 0 ? Encoding.UTF8.GetBytes(options.NewLine + outer) : [];
        }
        buffer.Write("["u8);
        for (int i = 0; i < count; i++)
        {
            if (i > 0)
            {
                buffer.Write(","u8);
            }
            buffer.Write(rowBreak);
            AppendArray(buffer, row(i).Span, options.Indented);
        }
        buffer.Write(endBreak);
        buffer.Write("]"u8);
        writer.WriteRawValue(buffer.WrittenSpan, skipInputValidation: true);
    }

    /// <summary>
    /// A short array (a d-vector, a grid row) on one line, as raw JSON: "[a, b]" when indented, "[a,b]" otherwise.
    /// Numbers use the same shortest round-trip form as <see cref="Utf8JsonWriter"/>.
    /// </summary>
    private static void WriteArray(Utf8JsonWriter writer, ReadOnlySpan<double> values)
    {
        var buffer = new ArrayBufferWriter<byte>(2 + values.Length * 26);
        AppendArray(buffer, values, writer.Options.Indented);
        writer.WriteRawValue(buffer.WrittenSpan, skipInputValidation: true);
    }

    private static void AppendArray(ArrayBufferWriter<byte> buffer, ReadOnlySpan<double> values, bool indented)
    {
        buffer.Write("["u8);
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException($"non-finite value {values[i]} in a spec array", nameof(values));
            }
            if (i > 0)
            {
                buffer.Write(indented ? ", "u8 : ","u8);
            }
            Format(buffer, values[i]);
        }
        buffer.Write("]"u8);
    }

    private static void WriteArray(Utf8JsonWriter writer, ReadOnlySpan<int> values)
    {
        var buffer = new ArrayBufferWriter<byte>(2 + values.Length * 12);
        buffer.Write("["u8);
        for (int i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                buffer.Write(writer.Options.Indented ? ", "u8 : ","u8);
            }
            Format(buffer, values[i]);
        }
        buffer.Write("]"u8);
        writer.WriteRawValue(buffer.WrittenSpan, skipInputValidation: true);
    }

    private static void Format<T>(ArrayBufferWriter<byte> buffer, T value)
        where T : IUtf8SpanFormattable
    {
        var span = buffer.GetSpan(32);
        if (!value.TryFormat(span, out int written, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("a number did not fit 32 bytes");
        }
        buffer.Advance(written);
    }
}
