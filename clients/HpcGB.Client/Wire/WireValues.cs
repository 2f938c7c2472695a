using System.Text;

namespace HpcGB.Client.Wire;

/// <summary>
/// Reading decoded values leniently where the protocol allows it: strings sent as str or bin, doubles sent as
/// float64, float32 or any integer, map keys as str or bin.
/// </summary>
public static class WireValues
{
    public static string? TryString(object? value) => value switch
    {
        string s => s,
        byte[] bytes => TryUtf8(bytes),
        _ => null,
    };

    /// <summary>Any MessagePack integer that fits a long.</summary>
    public static long? TryLong(object? value) => value switch
    {
        sbyte v => v,
        byte v => v,
        short v => v,
        ushort v => v,
        int v => v,
        uint v => v,
        long v => v,
        ulong v when v <= long.MaxValue => (long)v,
        _ => null,
    };

    /// <summary>float64, float32 or an integer.</summary>
    public static double? TryDouble(object? value) => value switch
    {
        double v => v,
        float v => v,
        ulong v => v,
        _ => TryLong(value),
    };

    /// <summary>The entry of <paramref name="map"/> whose key is <paramref name="key"/> as str or bin.</summary>
    public static bool TryGet(IDictionary<object, object?> map, string key, out object? value)
    {
        foreach (var (k, v) in map)
        {
            if (TryString(k) == key)
            {
                value = v;
                return true;
            }
        }
        value = null;
        return false;
    }

    /// <summary>Text for a message: at most <paramref name="max"/> characters, the rest replaced by its count.</summary>
    public static string Clip(string text, int max = 64) =>
        text.Length <= max ? text : $"{text[..max]}… ({text.Length} characters)";

    /// <summary>A short description of a decoded value for error messages ("a map", "str 'x'", "float64 1.5").</summary>
    public static string Describe(object? value) => value switch
    {
        null => "nil",
        bool b => b ? "true" : "false",
        string s => $"str '{Clip(s, 40)}'",
        byte[] bytes => $"bin of {bytes.Length} bytes",
        double or float => $"float {value}",
        object?[] array => $"an array of {array.Length}",
        IDictionary<object, object?> => "a map",
        _ when TryLong(value) is { } n => $"integer {n}",
        _ => value.GetType().Name,
    };

    private static string? TryUtf8(byte[] bytes)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
