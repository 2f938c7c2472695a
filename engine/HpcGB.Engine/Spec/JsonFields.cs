using System.Globalization;
using System.Text.Json;

namespace HpcGB.Engine.Spec;

/// <summary>Culture-independent number text for messages.</summary>
internal static class SpecFormat
{
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>JSON paths in the <c>$.a.b[3][1]</c> notation used by every <see cref="SpecException"/>.</summary>
internal static class JsonPath
{
    /// <summary>Keys longer than this are cut in paths: a message must not echo a megabyte key.</summary>
    public const int MaxKeyLength = 64;

    public static string Child(string parent, string key)
    {
        if (key.Length > MaxKeyLength)
        {
            string head = key[..MaxKeyLength].Replace("\\", "\\\\").Replace("'", "\\'");
            return $"{parent}['{head}…' ({key.Length.ToString(CultureInfo.InvariantCulture)} characters)]";
        }
        return IsIdentifier(key) ? $"{parent}.{key}" : $"{parent}['{key.Replace("\\", "\\\\").Replace("'", "\\'")}']";
    }

    public static string Index(string parent, int index) => $"{parent}[{index.ToString(CultureInfo.InvariantCulture)}]";

    private static bool IsIdentifier(string key)
    {
        if (key.Length == 0 || !(char.IsAsciiLetter(key[0]) || key[0] == '_'))
        {
            return false;
        }
        foreach (char c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }
        return true;
    }
}

/// <summary>
/// One JSON object of a spec: checked to be an object without duplicate keys on opening, then restricted to
/// its allowed keys, then read field by field. Every failure names the field's JSON path.
/// </summary>
internal sealed class SpecObject
{
    private readonly List<JsonProperty> _properties = [];

    private SpecObject(string path) => Path = path;

    public string Path { get; }

    /// <summary>Checks that <paramref name="element"/> is an object whose keys are pairwise distinct.</summary>
    public static SpecObject Open(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new SpecException(path, $"expected an object, got {JsonValues.Describe(element)}");
        }
        var result = new SpecObject(path);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                throw new SpecException(JsonPath.Child(path, property.Name), "duplicate key");
            }
            result._properties.Add(property);
        }
        return result;
    }

    /// <summary>Rejects the first key (in document order) that is not in <paramref name="allowed"/>.</summary>
    public SpecObject RestrictTo(params string[] allowed)
    {
        foreach (var property in _properties)
        {
            if (Array.IndexOf(allowed, property.Name) < 0)
            {
                throw new SpecException(
                    JsonPath.Child(Path, property.Name), $"unknown key; allowed: {string.Join(", ", allowed)}");
            }
        }
        return this;
    }

    public string PathOf(string key) => JsonPath.Child(Path, key);

    public bool Has(string key) => TryGet(key, out _);

    public bool TryGet(string key, out JsonElement value)
    {
        foreach (var property in _properties)
        {
            if (property.Name == key)
            {
                value = property.Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    public JsonElement Required(string key) =>
        TryGet(key, out var value) ? value : throw new SpecException(PathOf(key), "required");

    public double Double(string key, double defaultValue) =>
        TryGet(key, out var value) ? JsonValues.FiniteDouble(value, PathOf(key)) : defaultValue;

    public double RequiredDouble(string key) => JsonValues.FiniteDouble(Required(key), PathOf(key));

    public long RequiredInteger(string key, long min, long max, string? expectation = null) =>
        JsonValues.Integer(Required(key), PathOf(key), min, max, expectation);

    public long Integer(string key, long defaultValue, long min, long max, string? expectation = null) =>
        TryGet(key, out var value) ? JsonValues.Integer(value, PathOf(key), min, max, expectation) : defaultValue;

    public bool Boolean(string key, bool defaultValue) =>
        TryGet(key, out var value) ? JsonValues.Boolean(value, PathOf(key)) : defaultValue;

    public T Enum<T>(string key, EnumNames<T> names, T defaultValue)
        where T : struct, Enum =>
        TryGet(key, out var value) ? names.Read(value, PathOf(key)) : defaultValue;
}

/// <summary>Typed reads of single JSON values; each throws <see cref="SpecException"/> naming the path.</summary>
internal static class JsonValues
{
    /// <summary>A short description of a value for messages: <c>string "NaN"</c>, <c>number 1.5</c>, <c>null</c>.</summary>
    public static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"string {Truncate(element.GetRawText())}",
        JsonValueKind.Number => $"number {Truncate(element.GetRawText())}",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        _ => element.ValueKind.ToString(),
    };

    /// <summary>A finite double. Integers are numbers too; strings (also "NaN", "Infinity") are not.</summary>
    public static double FiniteDouble(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Number)
        {
            throw new SpecException(path, $"expected a finite number, got {Describe(element)}");
        }
        // Literals beyond the double range (1e400) parse to ±Infinity.
        if (!element.TryGetDouble(out double value) || !double.IsFinite(value))
        {
            throw new SpecException(path, $"must be a finite number, got {Truncate(element.GetRawText())}");
        }
        return value;
    }

    /// <summary>
    /// An integer in [min, max]. Any JSON number with an integral value is accepted (2, 2.0, 2e0 all mean 2);
    /// a fractional value (1.5) is rejected.
    /// </summary>
    public static long Integer(JsonElement element, string path, long min, long max, string? expectation = null)
    {
        string expected = expectation ?? $"an integer in {min}..{max}";
        if (element.ValueKind != JsonValueKind.Number)
        {
            throw new SpecException(path, $"expected an integer, got {Describe(element)}");
        }
        if (element.TryGetInt64(out long exact))
        {
            return exact >= min && exact <= max
                ? exact
                : throw new SpecException(path, $"must be {expected}, got {Truncate(element.GetRawText())}");
        }
        element.TryGetDouble(out double value);
        if (!double.IsFinite(value) || value != Math.Floor(value))
        {
            throw new SpecException(path, $"must be an integer, got {Truncate(element.GetRawText())}");
        }
        // Integral but not a plain Int64 literal (2.0, 1e3, or far out of range): compare as doubles first.
        if (value < min || value > max)
        {
            throw new SpecException(path, $"must be {expected}, got {Truncate(element.GetRawText())}");
        }
        return (long)value;
    }

    /// <summary>A non-negative integer up to <see cref="ulong.MaxValue"/>, with the same integral rule as <see cref="Integer"/>.</summary>
    public static ulong UnsignedInteger(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Number)
        {
            throw new SpecException(path, $"expected an integer, got {Describe(element)}");
        }
        if (element.TryGetUInt64(out ulong exact))
        {
            return exact;
        }
        element.TryGetDouble(out double value);
        if (!double.IsFinite(value) || value != Math.Floor(value))
        {
            throw new SpecException(path, $"must be an integer, got {Truncate(element.GetRawText())}");
        }
        // 2^64 is exactly representable; every integral double below it converts exactly.
        if (value < 0 || value >= 18446744073709551616.0)
        {
            throw new SpecException(path, $"must be a non-negative integer below 2^64, got {Truncate(element.GetRawText())}");
        }
        return (ulong)value;
    }

    public static bool Boolean(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new SpecException(path, $"expected true or false, got {Describe(element)}"),
    };

    public static string String(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.String
            ? element.GetString()!
            : throw new SpecException(path, $"expected a string, got {Describe(element)}");

    /// <summary>Checks that <paramref name="element"/> is an array and returns its length.</summary>
    public static int ArrayLength(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.Array
            ? element.GetArrayLength()
            : throw new SpecException(path, $"expected an array, got {Describe(element)}");

    /// <summary>
    /// A vector of length <paramref name="dimension"/> of finite doubles. In 1D a plain number is accepted for a
    /// one-element array.
    /// </summary>
    public static double[] Vector(JsonElement element, string path, int dimension)
    {
        if (dimension == 1 && element.ValueKind == JsonValueKind.Number)
        {
            return [FiniteDouble(element, path)];
        }
        CheckVectorLength(element, path, dimension);
        var result = new double[dimension];
        int i = 0;
        foreach (var item in element.EnumerateArray())
        {
            result[i] = FiniteDouble(item, JsonPath.Index(path, i));
            i++;
        }
        return result;
    }

    /// <summary>
    /// The allocation-free path of <see cref="Vector"/> for large arrays: true when <paramref name="element"/> is a
    /// valid d-vector (written to <paramref name="result"/>); on false, call <see cref="Vector"/> for the error.
    /// </summary>
    public static bool TryVectorFast(JsonElement element, Span<double> result)
    {
        if (element.ValueKind == JsonValueKind.Number && result.Length == 1)
        {
            return element.TryGetDouble(out result[0]) && double.IsFinite(result[0]);
        }
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() != result.Length)
        {
            return false;
        }
        int i = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetDouble(out result[i]) || !double.IsFinite(result[i]))
            {
                return false;
            }
            i++;
        }
        return true;
    }

    /// <summary>An integer vector of length <paramref name="dimension"/> (1D: a plain integer is accepted too).</summary>
    public static int[] IntegerVector(JsonElement element, string path, int dimension)
    {
        if (dimension == 1 && element.ValueKind == JsonValueKind.Number)
        {
            return [(int)Integer(element, path, int.MinValue, int.MaxValue)];
        }
        CheckVectorLength(element, path, dimension);
        var result = new int[dimension];
        int i = 0;
        foreach (var item in element.EnumerateArray())
        {
            result[i] = (int)Integer(item, JsonPath.Index(path, i), int.MinValue, int.MaxValue);
            i++;
        }
        return result;
    }

    private static void CheckVectorLength(JsonElement element, string path, int dimension)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            string accepted = dimension == 1 ? "a number or an array of length 1" : $"an array of length {dimension}";
            throw new SpecException(path, $"expected {accepted}, got {Describe(element)}");
        }
        int length = element.GetArrayLength();
        if (length != dimension)
        {
            throw new SpecException(path, $"must have length {dimension} (the dimension), got {length}");
        }
    }

    internal static string Truncate(string raw) => raw.Length <= 40 ? raw : string.Concat(raw.AsSpan(0, 37), "...");
}

/// <summary>The lowercase JSON names of an enum, shared by <see cref="SpecReader"/> and <see cref="SpecWriter"/>.</summary>
internal sealed class EnumNames<T>(params (string Name, T Value)[] pairs)
    where T : struct, Enum
{
    public string Allowed { get; } = string.Join(", ", pairs.Select(p => p.Name));

    public T Read(JsonElement element, string path)
    {
        string text = JsonValues.String(element, path);
        foreach (var (name, value) in pairs)
        {
            if (name == text)
            {
                return value;
            }
        }
        throw new SpecException(path, $"unknown value {JsonValues.Truncate(element.GetRawText())}; allowed: {Allowed}");
    }

    public string NameOf(T value)
    {
        foreach (var pair in pairs)
        {
            if (EqualityComparer<T>.Default.Equals(pair.Value, value))
            {
                return pair.Name;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(value), value, $"no spec name for {typeof(T).Name}.{value}");
    }
}
