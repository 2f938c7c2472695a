using System.Buffers;
using System.Globalization;
using System.Text.Json;
using HpcGB.Client.Wire;
using HpcGB.Engine.Spec;

namespace HpcGB.Host.Service;

/// <summary>
/// A spec sent over the wire: JSON text (str or bin), or a map of the same shape, which is rewritten as JSON so
/// that one reader (<see cref="SpecReader"/>) validates both and errors carry the same <c>$.path</c>. Arrays
/// inside the map may be msgpack-numpy ndarrays (e.g. <c>particles.positions</c> as an n×d float64 array).
/// Nothing is expanded before it is paid for: the particle count of an ndarray is checked from its shape, and the
/// JSON text and its parse are reserved in the <see cref="MemoryBudget"/> from an upper bound computed without
/// writing anything (a 60 MB int8 array becomes gigabytes of JSON text otherwise).
/// </summary>
internal static class SpecInput
{
    /// <summary>The most axes an ndarray may have (NumPy's own limit is 32 or 64).</summary>
    public const int MaxAxes = 32;

    /// <summary>Longest JSON number text written for a double ("R" format, sign and exponent included), plus a comma.</summary>
    private const int NumberBytes = 25;

    /// <summary>JsonDocument's metadata per value.</summary>
    private const int RowBytes = 12;

    public static SimulationSpec Read(object? value, int maxParticles, MemoryBudget budget)
    {
        SimulationSpec spec;
        switch (value)
        {
            case IDictionary<object, object?> map:
                var (jsonBytes, values) = Measure(map, "$", maxParticles);
                using (budget.Reserve(jsonBytes + RowBytes * values + ParseOutput(values), "params[0] (spec) as JSON"))
                {
                    spec = Parse(ToJson(map, jsonBytes));
                }
                break;
            case string or byte[]:
                string text = WireValues.TryString(value)
                    ?? throw RpcFault.InvalidParams("params[0] (spec): bin is not valid UTF-8 text");
                // UTF-8 copy of the text, up to one document row per two characters, parsed particles.
                long length = text.Length;
                using (budget.Reserve(3 * length + RowBytes * (length / 2) + ParseOutput(length / 2), "params[0] (spec)"))
                {
                    spec = Parse(text);
                }
                break;
            default:
                throw RpcFault.InvalidParams($"params[0] (spec): expected JSON text or a map, got {WireValues.Describe(value)}");
        }
        long count = AdmissionCost.Particles(spec.Particles);
        if (count > maxParticles)
        {
            throw TooMany(count, maxParticles);
        }
        return spec;
    }

    private static SimulationSpec Parse(string json) => Parse(() => SpecReader.Parse(json));

    private static SimulationSpec Parse(ReadOnlyMemory<byte> json) => Parse(() => SpecReader.Parse(json));

    private static SimulationSpec Parse(Func<SimulationSpec> parse)
    {
        try
        {
            return parse();
        }
        catch (SpecException ex)
        {
            throw new RpcFault(ErrorCodes.InvalidSpec, $"{ex.Path}: {ex.Reason}");
        }
    }

    /// <summary>What parsing leaves in memory per value at most: explicit positions as small arrays.</summary>
    private static long ParseOutput(long values) => 48 * values;

    private static RpcFault TooMany(long count, int maxParticles) =>
        new(ErrorCodes.LimitExceeded, $"$.particles: {count} particles; this server allows at most {maxParticles} (Service:MaxParticles)");

    /// <summary>
    /// An upper bound of the JSON text's length and the number of values in it, walking the decoded map without
    /// writing; ndarrays are checked (axes, and the particle count from <c>particles.positions</c>) on the way.
    /// </summary>
    private static (long Bytes, long Values) Measure(object? value, string path, int maxParticles)
    {
        switch (value)
        {
            case IDictionary<object, object?> ndarray when NdArray.IsNdArrayMap(ndarray):
                var array = ParseArray(ndarray, path);
                if (path is "$.particles.positions" or "$.particles.signs" && array.Shape.Length > 0 && array.Shape[0] > maxParticles)
                {
                    throw TooMany(array.Shape[0], maxParticles);
                }
                return (2 + (array.Count + array.Shape.Length) * NumberBytes, array.Count + array.Shape.Length);
            case IDictionary<object, object?> map:
                long bytes = 2, values = 1;
                foreach (var (key, item) in map)
                {
                    string name = Key(key, path);
                    var (b, v) = Measure(item, $"{path}.{Clip(name)}", maxParticles);
                    bytes += 6L * name.Length + 4 + b;
                    values += 1 + v;
                }
                return (bytes, values);
            case object?[] items:
                long total = 2, count = 1;
                foreach (var item in items)
                {
                    var (b, v) = Measure(item, path, maxParticles);
                    total += b + 1;
                    count += v;
                }
                return (total, count);
            case string s:
                return (6L * s.Length + 3, 1);
            default:
                return (NumberBytes, 1);
        }
    }

    private static ReadOnlyMemory<byte> ToJson(IDictionary<object, object?> map, long bound)
    {
        var buffer = new ArrayBufferWriter<byte>((int)Math.Clamp(bound, 256, 1 << 20));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, map, "$");
        }
        return buffer.WrittenMemory;
    }

    private static void Write(Utf8JsonWriter writer, object? value, string path)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case double or float:
                WriteFinite(writer, Convert.ToDouble(value, CultureInfo.InvariantCulture), path);
                break;
            case IDictionary<object, object?> ndarray when NdArray.IsNdArrayMap(ndarray):
                WriteNdArray(writer, ParseArray(ndarray, path), path);
                break;
            case IDictionary<object, object?> map:
                writer.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    string name = Key(key, path);
                    writer.WritePropertyName(name);
                    Write(writer, item, $"{path}.{Clip(name)}");
                }
                writer.WriteEndObject();
                break;
            case object?[] array:
                writer.WriteStartArray();
                for (int i = 0; i < array.Length; i++)
                {
                    if (array[i] is double or float)
                    {
                        // Most elements are numbers: their path is built only if one is not finite.
                        WriteFinite(writer, Convert.ToDouble(array[i], CultureInfo.InvariantCulture), path, i);
                    }
                    else
                    {
                        Write(writer, array[i], $"{path}[{i}]");
                    }
                }
                writer.WriteEndArray();
                break;
            case ulong u:
                writer.WriteNumberValue(u);
                break;
            case byte[]:
                throw new RpcFault(ErrorCodes.InvalidSpec, $"{path}: bin is not valid UTF-8 text");
            default:
                long n = WireValues.TryLong(value)
                    ?? throw new RpcFault(ErrorCodes.InvalidSpec, $"{path}: unsupported value {WireValues.Describe(value)}");
                writer.WriteNumberValue(n);
                break;
        }
    }

    private static string Key(object key, string path) => WireValues.TryString(key)
        ?? throw new RpcFault(ErrorCodes.InvalidSpec, $"{path}: keys must be strings, got {WireValues.Describe(key)}");

    /// <summary>A key as it appears in a message path: long keys are cut (the spec reader names them in full
    /// only up to the same length).</summary>
    private static string Clip(string name) => name.Length <= 64 ? name : string.Concat(name.AsSpan(0, 64), "…");

    private static NdArray ParseArray(IDictionary<object, object?> map, string path)
    {
        NdArray array;
        try
        {
            array = NdArray.Parse(map, path);
        }
        catch (FormatException ex)
        {
            throw new RpcFault(ErrorCodes.InvalidSpec, ex.Message);
        }
        if (array.Shape.Length > MaxAxes)
        {
            throw new RpcFault(ErrorCodes.InvalidSpec, $"{path}.shape: {array.Shape.Length} axes; at most {MaxAxes}");
        }
        return array;
    }

    /// <summary>Nested JSON arrays in C order, integers for integer dtypes; element by element, no copy of the data.</summary>
    private static void WriteNdArray(Utf8JsonWriter writer, NdArray array, string path)
    {
        bool integral = array.Type is not ("<f8" or "<f4");
        long next = 0;
        void Level(int axis)
        {
            writer.WriteStartArray();
            for (int k = 0; k < array.Shape[axis]; k++)
            {
                if (axis + 1 < array.Shape.Length)
                {
                    Level(axis + 1);
                }
                else if (integral)
                {
                    writer.WriteNumberValue((long)array.Element(next++));
                }
                else
                {
                    WriteFinite(writer, array.Element(next++), path);
                }
            }
            writer.WriteEndArray();
        }
        if (array.Shape.Length == 0)
        {
            WriteFinite(writer, array.Element(0), path);
            return;
        }
        Level(0);
    }

    private static void WriteFinite(Utf8JsonWriter writer, double value, string path, int index = -1)
    {
        if (!double.IsFinite(value))
        {
            string where = index < 0 ? path : $"{path}[{index}]";
            throw new RpcFault(ErrorCodes.InvalidSpec, $"{where}: must be finite, got {value.ToString(CultureInfo.InvariantCulture)}");
        }
        Span<byte> text = stackalloc byte[32];
        value.TryFormat(text, out int written, "R", CultureInfo.InvariantCulture);
        writer.WriteRawValue(text[..written], skipInputValidation: true);
    }
}
