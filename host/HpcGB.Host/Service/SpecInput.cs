using System.Globalization;
using System.Text;
using System.Text.Json;
using HpcGB.Client.Wire;
using HpcGB.Engine.Spec;

namespace HpcGB.Host.Service;

/// <summary>
/// A spec sent over the wire: JSON text (str or bin), or a map of the same shape, which is rewritten as JSON so
/// that one reader (<see cref="SpecReader"/>) validates both and errors carry the same <c>$.path</c>. Arrays
/// inside the map may be msgpack-numpy ndarrays (e.g. <c>particles.positions</c> as an n×d float64 array).
/// </summary>
internal static class SpecInput
{
    public static SimulationSpec Read(object? value, int maxParticles)
    {
        string json = WireValues.TryString(value) ?? (value is IDictionary<object, object?> map
            ? ToJson(map)
            : throw RpcFault.InvalidParams($"params[0] (spec): expected JSON text or a map, got {WireValues.Describe(value)}"));
        SimulationSpec spec;
        try
        {
            spec = SpecReader.Parse(json);
        }
        catch (SpecException ex)
        {
            throw new RpcFault(ErrorCodes.InvalidSpec, $"{ex.Path}: {ex.Reason}");
        }
        long count = Count(spec.Particles);
        if (count > maxParticles)
        {
            throw new RpcFault(ErrorCodes.LimitExceeded, $"$.particles: {count} particles; this server allows at most {maxParticles}");
        }
        return spec;
    }

    /// <summary>Particles a source produces (dipoles count twice).</summary>
    private static long Count(ParticleSource source) => source switch
    {
        ExplicitParticles p => p.Signs.Length,
        UniformParticles p => p.Count,
        DensityParticles p => p.Count,
        DipoleParticles p => 2L * p.Count,
        _ => 0,
    };

    private static string ToJson(IDictionary<object, object?> map)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, map, "$");
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
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
                    string name = WireValues.TryString(key)
                        ?? throw new RpcFault(ErrorCodes.InvalidSpec, $"{path}: keys must be strings, got {WireValues.Describe(key)}");
                    writer.WritePropertyName(name);
                    Write(writer, item, $"{path}.{name}");
                }
                writer.WriteEndObject();
                break;
            case object?[] array:
                writer.WriteStartArray();
                for (int i = 0; i < array.Length; i++)
                {
                    Write(writer, array[i], $"{path}[{i}]");
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

    private static NdArray ParseArray(IDictionary<object, object?> map, string path)
    {
        try
        {
            return NdArray.Parse(map, path);
        }
        catch (FormatException ex)
        {
            throw new RpcFault(ErrorCodes.InvalidSpec, ex.Message);
        }
    }

    /// <summary>Nested JSON arrays in C order, integers for integer dtypes.</summary>
    private static void WriteNdArray(Utf8JsonWriter writer, NdArray array, string path)
    {
        double[] values = array.ToDoubles();
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
                    writer.WriteNumberValue((long)values[next++]);
                }
                else
                {
                    WriteFinite(writer, values[next++], path);
                }
            }
            writer.WriteEndArray();
        }
        if (array.Shape.Length == 0)
        {
            WriteFinite(writer, values[0], path);
            return;
        }
        Level(0);
    }

    private static void WriteFinite(Utf8JsonWriter writer, double value, string path)
    {
        if (!double.IsFinite(value))
        {
            throw new RpcFault(ErrorCodes.InvalidSpec, $"{path}: must be finite, got {value}");
        }
        writer.WriteRawValue(value.ToString("R", CultureInfo.InvariantCulture));
    }
}
