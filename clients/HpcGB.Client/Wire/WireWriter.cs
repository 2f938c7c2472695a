using System.Buffers;
using System.Collections;
using MessagePack;

namespace HpcGB.Client.Wire;

/// <summary>
/// Encodes messages and the values they carry: nil, bool, integers, float64, str, bin, <see cref="NdArray"/>,
/// maps with str keys (<see cref="IDictionary"/>) and arrays (<see cref="IEnumerable"/>). Method names are written
/// as str.
/// </summary>
public static class WireWriter
{
    public static void WriteRequest(IBufferWriter<byte> output, uint msgId, string method, IReadOnlyList<object?> parameters)
    {
        var writer = new MessagePackWriter(output);
        writer.WriteArrayHeader(4);
        writer.Write(MessageType.Request);
        writer.Write(msgId);
        writer.Write(method);
        WriteArray(ref writer, parameters);
        writer.Flush();
    }

    public static void WriteResponse(IBufferWriter<byte> output, uint msgId, RpcError? error, object? result)
    {
        var writer = new MessagePackWriter(output);
        writer.WriteArrayHeader(4);
        writer.Write(MessageType.Response);
        writer.Write(msgId);
        if (error is null)
        {
            writer.WriteNil();
            WriteValue(ref writer, result);
        }
        else
        {
            writer.WriteArrayHeader(2);
            writer.Write(error.Code);
            writer.Write(error.Message);
            writer.WriteNil();
        }
        writer.Flush();
    }

    public static void WriteNotification(IBufferWriter<byte> output, string method, IReadOnlyList<object?> parameters)
    {
        var writer = new MessagePackWriter(output);
        writer.WriteArrayHeader(3);
        writer.Write(MessageType.Notification);
        writer.Write(method);
        WriteArray(ref writer, parameters);
        writer.Flush();
    }

    /// <summary>One message as a byte array (tests, notifications shared by many subscribers).</summary>
    public static byte[] ToBytes(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    public static void WriteValue(ref MessagePackWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNil();
                break;
            case bool b:
                writer.Write(b);
                break;
            case string s:
                writer.Write(s);
                break;
            case byte[] bytes:
                writer.Write(bytes);
                break;
            case double d:
                writer.Write(d);
                break;
            case float f:
                writer.Write((double)f);
                break;
            case int or long or uint or short or ushort or byte or sbyte:
                writer.Write(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case ulong u:
                writer.Write(u);
                break;
            case NdArray array:
                WriteNdArray(ref writer, array);
                break;
            case IDictionary map:
                writer.WriteMapHeader(map.Count);
                foreach (DictionaryEntry entry in map)
                {
                    WriteValue(ref writer, entry.Key);
                    WriteValue(ref writer, entry.Value);
                }
                break;
            case IEnumerable sequence:
                var items = sequence.Cast<object?>().ToList();
                WriteArray(ref writer, items);
                break;
            default:
                throw new ArgumentException($"cannot encode a {value.GetType().Name}", nameof(value));
        }
    }

    private static void WriteArray(ref MessagePackWriter writer, IReadOnlyList<object?> items)
    {
        writer.WriteArrayHeader(items.Count);
        foreach (object? item in items)
        {
            WriteValue(ref writer, item);
        }
    }

    private static void WriteNdArray(ref MessagePackWriter writer, NdArray array)
    {
        writer.WriteMapHeader(5);
        writer.Write(NdArray.NdKey);
        writer.Write(true);
        writer.Write(NdArray.TypeKey);
        writer.Write(array.Type);
        writer.Write(NdArray.KindKey);
        writer.Write(ReadOnlySpan<byte>.Empty);
        writer.Write(NdArray.ShapeKey);
        writer.WriteArrayHeader(array.Shape.Length);
        foreach (int extent in array.Shape)
        {
            writer.Write(extent);
        }
        writer.Write(NdArray.DataKey);
        writer.Write(array.Data);
    }
}
