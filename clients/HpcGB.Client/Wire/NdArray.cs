using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace HpcGB.Client.Wire;

/// <summary>
/// An array in the msgpack-numpy layout: a map with the five bin keys <c>nd</c> (true), <c>type</c> (a numpy dtype
/// string), <c>kind</c> (empty), <c>shape</c> and <c>data</c> (little-endian, C order). Python clients with
/// msgpack_numpy get a numpy array directly. Object arrays (<c>kind</c> = <c>O</c>, pickled data) are refused.
/// </summary>
public sealed record NdArray(string Type, int[] Shape, byte[] Data)
{
    /// <summary>The dtypes accepted on input, with their item sizes.</summary>
    private static readonly Dictionary<string, int> ItemSizes = new(StringComparer.Ordinal)
    {
        ["<f8"] = 8, ["<f4"] = 4, ["|i1"] = 1, ["|u1"] = 1, ["<i2"] = 2, ["<i4"] = 4, ["<i8"] = 8,
    };

    public static ReadOnlySpan<byte> NdKey => "nd"u8;

    public static ReadOnlySpan<byte> TypeKey => "type"u8;

    public static ReadOnlySpan<byte> KindKey => "kind"u8;

    public static ReadOnlySpan<byte> ShapeKey => "shape"u8;

    public static ReadOnlySpan<byte> DataKey => "data"u8;

    public long Count => Shape.Aggregate(1L, (product, extent) => product * extent);

    /// <summary>An n×d float64 array from axis-major arrays <c>axes[a][i]</c>, each value passed through
    /// <paramref name="transform"/> when given (e.g. wrapping onto the torus); interleaved straight into the data.</summary>
    public static NdArray FromAxes(double[][] axes, Func<double, double>? transform = null)
    {
        int d = axes.Length;
        int n = axes[0].Length;
        var bytes = new byte[(long)n * d * sizeof(double)];
        var values = MemoryMarshal.Cast<byte, double>(bytes.AsSpan());
        for (int a = 0; a < d; a++)
        {
            double[] axis = axes[a];
            for (int i = 0; i < n; i++)
            {
                values[i * d + a] = transform is null ? axis[i] : transform(axis[i]);
            }
        }
        if (!BitConverter.IsLittleEndian)
        {
            for (int k = 0; k < values.Length; k++)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(k * sizeof(double)), values[k]);
            }
        }
        return new NdArray("<f8", [n, d], bytes);
    }

    /// <summary>A one-dimensional int8 array (particle signs).</summary>
    public static NdArray FromSigns(sbyte[] signs) => new("|i1", [signs.Length], MemoryMarshal.AsBytes(signs.AsSpan()).ToArray());

    /// <summary>A one-dimensional float64 array.</summary>
    public static NdArray FromVector(double[] values) => new("<f8", [values.Length], LittleEndianBytes(values));

    /// <summary>Every element as a double, in C order (any accepted dtype).</summary>
    public double[] ToDoubles()
    {
        var values = new double[Count];
        if (Type == "<f8" && BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, double>(Data.AsSpan()).CopyTo(values);
            return values;
        }
        for (long k = 0; k < values.Length; k++)
        {
            values[k] = Element(k);
        }
        return values;
    }

    /// <summary>Element <paramref name="index"/> in C order as a double (any accepted dtype).</summary>
    public double Element(long index)
    {
        int at = checked((int)(index * ItemSizes[Type]));
        var data = Data.AsSpan(at);
        return Type switch
        {
            "<f8" => BinaryPrimitives.ReadDoubleLittleEndian(data),
            "<f4" => BinaryPrimitives.ReadSingleLittleEndian(data),
            "|i1" => (sbyte)data[0],
            "|u1" => data[0],
            "<i2" => BinaryPrimitives.ReadInt16LittleEndian(data),
            "<i4" => BinaryPrimitives.ReadInt32LittleEndian(data),
            _ => BinaryPrimitives.ReadInt64LittleEndian(data),
        };
    }

    /// <summary>An n×d array back into axis-major arrays <c>[a][i]</c>.</summary>
    public double[][] ToAxes()
    {
        if (Shape.Length != 2)
        {
            throw new InvalidOperationException($"expected an n×d array, got shape [{string.Join(", ", Shape)}]");
        }
        int n = Shape[0], d = Shape[1];
        double[] values = ToDoubles();
        var axes = new double[d][];
        for (int a = 0; a < d; a++)
        {
            axes[a] = new double[n];
            for (int i = 0; i < n; i++)
            {
                axes[a][i] = values[(long)i * d + a];
            }
        }
        return axes;
    }

    /// <summary>Whether a decoded map is meant as an ndarray (it has the bin key <c>nd</c>).</summary>
    public static bool IsNdArrayMap(IDictionary<object, object?> map) => map.Keys.Any(key => key is byte[] bytes && bytes.AsSpan().SequenceEqual(NdKey));

    /// <summary>
    /// Reads a decoded msgpack-numpy map; throws <see cref="FormatException"/> naming <paramref name="field"/> and
    /// the offending entry when the layout, dtype, kind or data length is wrong.
    /// </summary>
    public static NdArray Parse(IDictionary<object, object?> map, string field)
    {
        object? nd = null, type = null, kind = null, shape = null, data = null;
        foreach (var (key, value) in map)
        {
            if (key is not byte[] name)
            {
                throw new FormatException($"{field}: ndarray keys must be bin (msgpack-numpy layout), got {WireValues.Describe(key)}");
            }
            switch (Encoding.UTF8.GetString(name))
            {
                case "nd": nd = value; break;
                case "type": type = value; break;
                case "kind": kind = value; break;
                case "shape": shape = value; break;
                case "data": data = value; break;
                default: throw new FormatException($"{field}: unknown ndarray key '{Encoding.UTF8.GetString(name)}'");
            }
        }
        if (nd is not true)
        {
            throw new FormatException($"{field}.nd: must be true");
        }
        string dtype = WireValues.TryString(type) ?? throw new FormatException($"{field}.type: must be a dtype string such as '<f8'");
        byte[] kindBytes = kind switch
        {
            null => [],
            byte[] b => b,
            string s => Encoding.UTF8.GetBytes(s),
            _ => throw new FormatException($"{field}.kind: must be bin"),
        };
        if (kindBytes.Length != 0)
        {
            throw new FormatException($"{field}.kind: must be empty (plain dtypes only; object arrays 'O' are refused), got '{Encoding.UTF8.GetString(kindBytes)}'");
        }
        if (!ItemSizes.TryGetValue(dtype, out int itemSize))
        {
            throw new FormatException($"{field}.type: unsupported dtype '{dtype}'; allowed: {string.Join(", ", ItemSizes.Keys)}");
        }
        if (shape is not object?[] extents)
        {
            throw new FormatException($"{field}.shape: must be an array of non-negative integers");
        }
        var dims = new int[extents.Length];
        long count = 1;
        for (int k = 0; k < extents.Length; k++)
        {
            if (WireValues.TryLong(extents[k]) is not { } extent || extent < 0 || extent > int.MaxValue)
            {
                throw new FormatException($"{field}.shape[{k}]: must be a non-negative integer");
            }
            dims[k] = (int)extent;
            count *= extent;
            if (count > int.MaxValue)
            {
                throw new FormatException($"{field}.shape: too many elements");
            }
        }
        if (data is not byte[] bytes)
        {
            throw new FormatException($"{field}.data: must be bin");
        }
        if (bytes.LongLength != count * itemSize)
        {
            throw new FormatException($"{field}.data: {bytes.Length} bytes, but shape [{string.Join(", ", dims)}] of '{dtype}' needs {count * itemSize}");
        }
        return new NdArray(dtype, dims, bytes);
    }

    private static byte[] LittleEndianBytes(double[] values)
    {
        var bytes = new byte[values.LongLength * sizeof(double)];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values.AsSpan()).CopyTo(bytes);
        }
        else
        {
            for (int k = 0; k < values.Length; k++)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(k * sizeof(double)), values[k]);
            }
        }
        return bytes;
    }
}
