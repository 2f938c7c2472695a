using System.Buffers;
using System.Buffers.Binary;

namespace HpcGB.Client.Wire;

/// <summary>What <see cref="FrameScanner.Scan"/> found at the start of the buffer.</summary>
public enum FrameStatus
{
    /// <summary>A whole message of <see cref="FrameScanner.Length"/> bytes.</summary>
    Complete,

    /// <summary>More bytes are needed.</summary>
    Incomplete,

    /// <summary>The message would exceed the size limit: framing cannot be kept, close the stream.</summary>
    TooLarge,

    /// <summary>A byte that starts no MessagePack value (0xc1), or nesting beyond what the scanner tracks:
    /// framing is lost, close the stream.</summary>
    Malformed,
}

/// <summary>
/// Finds where the next MessagePack message ends (messages come back to back, no length prefix) without
/// recursion, so a deeply nested message costs a counter per level rather than a stack frame. Resumable: after
/// <see cref="FrameStatus.Incomplete"/> call <see cref="Scan"/> again with the same buffer start and more bytes;
/// it continues where it stopped. <see cref="Reset"/> after each complete message.
/// </summary>
public sealed class FrameScanner(long maxBytes)
{
    /// <summary>The size limit; may change between messages (a server allows less before authentication).</summary>
    public long MaxBytes { get; set; } = maxBytes;

    /// <summary>Nesting the scanner follows (8 bytes each); deeper input is treated as broken framing. Messages
    /// deeper than the decoder's own limit but within this one still get an error reply.</summary>
    public const int MaxTrackedDepth = 1 << 20;

    private readonly Stack<long> _parents = new();
    private long _offset;
    private long _pending = 1;

    /// <summary>The message length after <see cref="FrameStatus.Complete"/>.</summary>
    public long Length { get; private set; }

    /// <summary>The deepest container nesting seen in the message (0 for a scalar).</summary>
    public int Depth { get; private set; }

    /// <summary>
    /// An upper bound on the managed memory the message takes once decoded into objects (boxed scalars, strings as
    /// UTF-16, arrays of references, dictionaries), counted over the values scanned so far: after
    /// <see cref="FrameStatus.Complete"/>, what decoding the whole message costs at most. A 64 MiB array of
    /// one-byte integers decodes to more than 2 GiB, so a server checks this before decoding.
    /// </summary>
    public long DecodedBytes { get; private set; }

    /// <summary>The bytes the message is known to need so far (at least what was scanned, plus the declared length
    /// of a string or bin still arriving); grows as <see cref="Scan"/> sees more.</summary>
    public long KnownLength { get; private set; }

    public void Reset()
    {
        _parents.Clear();
        _offset = 0;
        _pending = 1;
        Length = 0;
        Depth = 0;
        DecodedBytes = 0;
        KnownLength = 0;
    }

    public FrameStatus Scan(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        reader.Advance(_offset);
        while (true)
        {
            if (_pending == 0)
            {
                if (_parents.Count == 0)
                {
                    Length = _offset;
                    return FrameStatus.Complete;
                }
                _pending = _parents.Pop();
                continue;
            }
            if (!reader.TryPeek(out byte code))
            {
                return _offset >= MaxBytes ? FrameStatus.TooLarge : FrameStatus.Incomplete;
            }
            if (!TryMeasure(ref reader, code, out int header, out long payload, out long children))
            {
                return code == 0xc1 ? FrameStatus.Malformed : FrameStatus.Incomplete;
            }
            long end = _offset + header + payload;
            KnownLength = Math.Max(KnownLength, end);
            if (end > MaxBytes)
            {
                return FrameStatus.TooLarge;
            }
            if (reader.Remaining < header + payload)
            {
                return FrameStatus.Incomplete;
            }
            reader.Advance(header + payload);
            _offset = end;
            DecodedBytes += DecodedCost(code, payload, children);
            _pending--;
            if (children > 0)
            {
                if (_parents.Count >= MaxTrackedDepth)
                {
                    return FrameStatus.Malformed;
                }
                _parents.Push(_pending);
                _pending = children;
                Depth = Math.Max(Depth, _parents.Count);
            }
        }
    }

    /// <summary>Managed bytes one token becomes: an object header and reference per value, UTF-16 for strings, the
    /// reference array of an array, the entries of a dictionary.</summary>
    private static long DecodedCost(byte code, long payload, long children)
    {
        const long Value = 40;
        bool isString = code is (>= 0xa0 and <= 0xbf) or 0xd9 or 0xda or 0xdb;
        bool isMap = code is (>= 0x80 and <= 0x8f) or 0xde or 0xdf;
        return Value + (isString ? 2 * payload : payload) + (isMap ? 32 * children : 8 * children);
    }

    /// <summary>Header size, payload bytes and child values of the token at the reader (not consumed); false when
    /// its length bytes are not there yet or the code is the never-used 0xc1.</summary>
    private static bool TryMeasure(ref SequenceReader<byte> reader, byte code, out int header, out long payload, out long children)
    {
        payload = 0;
        children = 0;
        header = 1;
        switch (code)
        {
            case <= 0x7f or >= 0xe0 or 0xc0 or 0xc2 or 0xc3:
                return true;
            case <= 0x8f:
                children = 2L * (code & 0x0f);
                return true;
            case <= 0x9f:
                children = code & 0x0f;
                return true;
            case <= 0xbf:
                payload = code & 0x1f;
                return true;
            case 0xc1:
                return false;
            case 0xc4 or 0xd9:
                return TryLength(ref reader, 1, out header, out payload);
            case 0xc5 or 0xda:
                return TryLength(ref reader, 2, out header, out payload);
            case 0xc6 or 0xdb:
                return TryLength(ref reader, 4, out header, out payload);
            case 0xc7 or 0xc8 or 0xc9:
                // ext 8/16/32: length, then a type byte, then the data.
                bool known = TryLength(ref reader, code == 0xc7 ? 1 : code == 0xc8 ? 2 : 4, out header, out payload);
                header++;
                return known;
            case 0xca:
                payload = 4;
                return true;
            case 0xcb:
                payload = 8;
                return true;
            case 0xcc or 0xd0:
                payload = 1;
                return true;
            case 0xcd or 0xd1:
                payload = 2;
                return true;
            case 0xce or 0xd2:
                payload = 4;
                return true;
            case 0xcf or 0xd3:
                payload = 8;
                return true;
            case 0xd4 or 0xd5 or 0xd6 or 0xd7 or 0xd8:
                payload = 1 + (1 << (code - 0xd4));
                return true;
            case 0xdc or 0xde:
                bool short16 = TryLength(ref reader, 2, out header, out children);
                children *= code == 0xde ? 2 : 1;
                return short16;
            default: // 0xdd array32, 0xdf map32
                bool long32 = TryLength(ref reader, 4, out header, out children);
                children *= code == 0xdf ? 2 : 1;
                return long32;
        }
    }

    /// <summary>Reads the big-endian length of <paramref name="size"/> bytes after the code byte.</summary>
    private static bool TryLength(ref SequenceReader<byte> reader, int size, out int header, out long length)
    {
        header = 1 + size;
        length = 0;
        Span<byte> bytes = stackalloc byte[5];
        if (!reader.TryCopyTo(bytes[..header]))
        {
            return false;
        }
        length = size switch
        {
            1 => bytes[1],
            2 => BinaryPrimitives.ReadUInt16BigEndian(bytes[1..]),
            _ => BinaryPrimitives.ReadUInt32BigEndian(bytes[1..]),
        };
        return true;
    }
}
