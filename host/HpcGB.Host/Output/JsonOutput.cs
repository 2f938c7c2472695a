using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using HpcGB.Interop;
using HpcGB.Interop.OpenCl;

namespace HpcGB.Host.Output;

/// <summary>Shared pieces of the JSON outputs: writer options, finite-or-null numbers, the engine, spec and capabilities objects.</summary>
internal static class JsonOutput
{
    public static JsonWriterOptions Indented { get; } = new()
    {
        Indented = true,
        // Keep "−", "δ" and the like readable in the files; the outputs are never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>A number, or null for NaN/±∞ (JSON has no literal for them).</summary>
    public static void WriteNumberOrNull(this Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>The shortest text that parses back to the same double ("R"): valid JSON for finite values.</summary>
    public static string RoundTrip(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "JSON has no literal for a non-finite number");
        }
        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>Writes a force evaluator's method and parameters as one JSON object (numbers, booleans, strings).</summary>
    public static void WriteParameters(Utf8JsonWriter writer, IReadOnlyDictionary<string, object> parameters)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in parameters)
        {
            writer.WritePropertyName(name);
            WriteValue(writer, value);
        }
        writer.WriteEndObject();
    }

    /// <summary>A number, flag, nested object (a dictionary), array of numbers, or else its invariant string.</summary>
    private static void WriteValue(Utf8JsonWriter writer, object value)
    {
        switch (value)
        {
            case double number:
                writer.WriteNumberValue(number);
                break;
            case int integer:
                writer.WriteNumberValue(integer);
                break;
            case long integer:
                writer.WriteNumberValue(integer);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case IReadOnlyDictionary<string, object> nested:
                WriteParameters(writer, nested);
                break;
            case System.Collections.IEnumerable items and not string:
                writer.WriteStartArray();
                foreach (object item in items)
                {
                    WriteValue(writer, item);
                }
                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>The <c>engine</c> object (name and version) that opens every summary.json.</summary>
    public static void WriteEngine(Utf8JsonWriter writer)
    {
        writer.WriteStartObject("engine");
        writer.WriteString("name", "HpcGB");
        writer.WriteString("version", EngineInfo.Version);
        writer.WriteEndObject();
    }

    /// <summary>The normalised spec, embedded as JSON (not as a string).</summary>
    public static void WriteSpec(Utf8JsonWriter writer, string specJson)
    {
        writer.WritePropertyName("spec");
        using var document = JsonDocument.Parse(specJson);
        document.RootElement.WriteTo(writer);
    }

    /// <summary>Writes the machine capabilities as one JSON object.</summary>
    public static void WriteCapabilities(Utf8JsonWriter writer, Capabilities capabilities, FontStatus fonts)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("simd");
        writer.WriteBoolean("avx2", capabilities.Avx2);
        writer.WriteBoolean("fma", capabilities.Fma);
        writer.WriteBoolean("avx512f", capabilities.Avx512F);
        writer.WriteBoolean("vector128_accelerated", capabilities.Vector128Accelerated);
        writer.WriteBoolean("vector256_accelerated", capabilities.Vector256Accelerated);
        writer.WriteBoolean("vector512_accelerated", capabilities.Vector512Accelerated);
        writer.WriteNumber("widest_vector_bits", capabilities.WidestVectorBits);
        writer.WriteEndObject();
        writer.WriteString("runtime", capabilities.Runtime);
        writer.WriteString("os", capabilities.OperatingSystem);
        writer.WriteString("architecture", capabilities.Architecture);
        writer.WriteNumber("processor_count", capabilities.ProcessorCount);
        writer.WriteStartArray("native_libraries");
        foreach (var library in capabilities.NativeLibraries)
        {
            writer.WriteStartObject();
            writer.WriteString("feature", library.Feature);
            writer.WriteString("library", library.LibraryName);
            writer.WriteBoolean("found", library.Found);
            writer.WriteString("debian_packages", library.DebianPackages);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        WriteOpenCl(writer, capabilities.OpenCl);
        writer.WriteStartObject("fonts");
        writer.WriteNumber("families", fonts.FamilyCount);
        writer.WriteBoolean("found", fonts.Found);
        writer.WriteString("debian_packages", FontStatus.DebianPackage);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>The <c>opencl</c> block: every platform's devices with fp64, memory and compute units.</summary>
    public static void WriteOpenCl(Utf8JsonWriter writer, OpenClReport report)
    {
        writer.WriteStartObject("opencl");
        writer.WriteBoolean("available", report.Problem is null && report.FftVersion is not null);
        if (report.Problem is { } problem)
        {
            writer.WriteString("problem", problem);
        }
        if (report.FftVersionText is { } fft)
        {
            writer.WriteString("fft", $"VkFFT {fft}");
        }
        else
        {
            writer.WriteNull("fft");
        }
        writer.WriteStartArray("devices");
        foreach (var device in report.Devices)
        {
            writer.WriteStartObject();
            WriteDevice(writer, device);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>One device's fields (also the <c>device</c> of a force evaluation on OpenCL).</summary>
    public static void WriteDevice(Utf8JsonWriter writer, OpenClDevice device)
    {
        writer.WriteNumber("platform", device.Platform);
        writer.WriteNumber("device", device.Index);
        writer.WriteString("platform_name", device.PlatformName);
        writer.WriteString("name", device.Name);
        writer.WriteString("vendor", device.Vendor);
        writer.WriteString("driver", device.Driver);
        writer.WriteString("version", device.Version);
        writer.WriteString("type", device.Type);
        writer.WriteBoolean("fp64", device.Fp64);
        writer.WriteNumber("global_memory_bytes", device.GlobalMemoryBytes);
        writer.WriteNumber("max_allocation_bytes", device.MaxAllocationBytes);
        writer.WriteNumber("compute_units", device.ComputeUnits);
    }
}
