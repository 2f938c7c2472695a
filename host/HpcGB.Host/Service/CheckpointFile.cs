using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using HpcGB.Client.Wire;
using HpcGB.Engine.Analysis;
using HpcGB.Engine.Integrators;
using MessagePack;

namespace HpcGB.Host.Service;

/// <summary>
/// What a checkpoint holds: the normalised spec, the signs and a <see cref="RunSnapshot"/>; from a run across MPI
/// ranks also its slab boundaries, which only a resume on as many ranks uses (docs/distributed.md).
/// </summary>
internal sealed record CheckpointData(string SpecJson, sbyte[] Signs, RunSnapshot Snapshot, int[]? Slabs = null);

/// <summary>
/// The checkpoint file format, version 3: the 8 bytes <c>HPCGBCKP</c>, the version (uint32 LE), the payload length
/// (uint64 LE), a SHA-256 (32 bytes), then the payload, a MessagePack map (spec JSON, time, frame counters, unwrapped
/// positions and signs as ndarrays, the integrator state). Doubles are float64, so they come back bit for bit.
/// Version 3 hashes the header (magic, version, length) together with the payload, so no header field can be
/// changed unnoticed; versions 1 and 2 hashed the payload alone and are still read. Version 2 added the integrator's
/// multistep history (nil for one-step integrators); its <c>order</c> and <c>steps_at_order</c> came with the
/// variable-order BDF and are 0 when absent (issue 4's BDF2 history). A run across MPI ranks adds the optional key
/// <c>slabs</c> (its slab boundaries in mesh rows), which a serial resume ignores. Decoding checks the content too (<see cref="CheckpointContent"/>):
/// a file with a valid hash but NaN positions or a sign of 5 is refused, not restored.
/// The service's <see cref="CheckpointStore"/> and <c>hpcgb run</c> (checkpoint.hpcgbckp in the output directory)
/// write the same files through <see cref="Save"/>.
/// </summary>
internal static class CheckpointFile
{
    public const uint Version = 3;

    private const int HeaderBytes = 8 + 4 + 8 + 32;

    private static ReadOnlySpan<byte> Magic => "HPCGBCKP"u8;

    private static readonly MessagePackSerializerOptions Untrusted = MessagePackSerializerOptions.Standard.WithSecurity(new WireSecurity(16));

    /// <summary>
    /// Writes <paramref name="data"/> to <paramref name="path"/> atomically: to <c>&lt;path&gt;.&lt;pid&gt;.tmp</c>, flushed
    /// to disk, then renamed to the final name (over an older file only with <paramref name="overwrite"/>), so a crash
    /// leaves either the old file or the complete new one. A write that fails deletes its temporary file.
    /// </summary>
    public static void Save(string path, CheckpointData data, bool overwrite)
    {
        byte[] bytes = Encode(data);
        string temporary = $"{path}.{Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite);
        }
        catch
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The original failure is the one to report.
            }
            throw;
        }
    }

    /// <summary>Reads and checks the file at <paramref name="path"/>; <see cref="FormatException"/> or
    /// <see cref="MessagePackSerializationException"/> say what is wrong with it.</summary>
    public static CheckpointData Load(string path) => Decode(File.ReadAllBytes(path));

    public static byte[] Encode(CheckpointData data)
    {
        var snapshot = data.Snapshot;
        var integrator = snapshot.Integrator ?? throw new InvalidOperationException("a checkpoint needs the integrator state");
        var payload = WireWriter.ToBytes(buffer =>
        {
            var writer = new MessagePackWriter(buffer);
            var root = new Dictionary<string, object?>
            {
                ["spec"] = data.SpecJson,
                ["time"] = snapshot.Time,
                ["next_frame"] = snapshot.NextFrame,
                ["frame_evaluations"] = snapshot.FrameEvaluations,
                ["positions"] = NdArray.FromAxes(snapshot.Positions),
                ["signs"] = NdArray.FromSigns(data.Signs),
                ["integrator"] = new Dictionary<string, object?>
                {
                    ["name"] = integrator.Integrator,
                    ["time"] = integrator.Time,
                    ["step"] = integrator.Step,
                    ["previous_error"] = integrator.PreviousError,
                    ["velocity"] = integrator.Velocity is { } v ? NdArray.FromAxes(v) : null,
                    ["accepted_steps"] = integrator.AcceptedSteps,
                    ["rejected_steps"] = integrator.RejectedSteps,
                    ["force_evaluations"] = integrator.ForceEvaluations,
                    ["history"] = integrator.History is { } history ? EncodeHistory(history) : null,
                    ["local_error_sum"] = integrator.LocalErrorSum,
                },
            };
            if (data.Slabs is { } slabs)
            {
                root["slabs"] = slabs.Select(row => (object?)(long)row).ToArray();
            }
            WireWriter.WriteValue(ref writer, root);
            writer.Flush();
        });
        return Seal(payload);
    }

    /// <summary>The file around <paramref name="payload"/>: header, then the SHA-256 of header and payload.</summary>
    internal static byte[] Seal(ReadOnlySpan<byte> payload)
    {
        var file = new byte[HeaderBytes + payload.Length];
        Magic.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), Version);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(12), (ulong)payload.Length);
        payload.CopyTo(file.AsSpan(HeaderBytes));
        Hash(file, Version).CopyTo(file.AsSpan(20, 32));
        return file;
    }

    /// <summary>Version 3 hashes magic, version, length and payload; versions 1 and 2 the payload alone.</summary>
    private static byte[] Hash(byte[] file, uint version)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (version >= 3)
        {
            hash.AppendData(file, 0, 20);
        }
        hash.AppendData(file, HeaderBytes, file.Length - HeaderBytes);
        return hash.GetHashAndReset();
    }

    /// <summary>Throws <see cref="FormatException"/> saying what is wrong with the file.</summary>
    public static CheckpointData Decode(byte[] file)
    {
        if (file.Length < HeaderBytes || !file.AsSpan(0, 8).SequenceEqual(Magic))
        {
            throw new FormatException("not an hpcgb checkpoint (bad magic)");
        }
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(8));
        if (version is < 1 or > Version)
        {
            throw new FormatException($"checkpoint version {version}; this server reads versions 1 to {Version}");
        }
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(12));
        if (length != (ulong)(file.Length - HeaderBytes))
        {
            throw new FormatException($"truncated: the header says {length} payload bytes, the file has {file.Length - HeaderBytes}");
        }
        if (!Hash(file, version).AsSpan().SequenceEqual(file.AsSpan(20, 32)))
        {
            throw new FormatException(version >= 3 ? "header and payload do not match their SHA-256" : "payload does not match its SHA-256");
        }
        var root = Map(MessagePackSerializer.Deserialize<object?>(file.AsMemory(HeaderBytes), Untrusted), "payload");
        var integrator = Map(Get(root, "integrator"), "integrator");
        var positions = Axes(root, "positions");
        var velocity = Get(integrator, "velocity") is null ? null : Axes(integrator, "velocity");
        bool hasHistory = WireValues.TryGet(integrator, "history", out object? stored);
        if (version == 1 && hasHistory)
        {
            // Version 1 never wrote a history: this is a newer file with its version changed, which would drop it.
            throw new FormatException("version 1 with an integrator history, which only version 2 and later write");
        }
        if (version >= 2 && !hasHistory)
        {
            throw new FormatException("missing 'history'");
        }
        var history = stored is null ? null : DecodeHistory(Map(stored, "history"));
        var signs = Array(root, "signs");
        if (signs.Type != "|i1" || signs.Shape.Length != 1)
        {
            throw new FormatException("signs: expected a vector of int8");
        }
        var checkpoint = new IntegratorCheckpoint(
            Text(integrator, "name"), Number(integrator, "time"), Number(integrator, "step"), Number(integrator, "previous_error"),
            velocity, Integer(integrator, "accepted_steps"), Integer(integrator, "rejected_steps"), Integer(integrator, "force_evaluations"),
            history)
        {
            LocalErrorSum = WireValues.TryGet(integrator, "local_error_sum", out _) ? Number(integrator, "local_error_sum") : 0,
        };
        var snapshot = new RunSnapshot(
            Number(root, "time"), Frame(root, "next_frame"), positions, checkpoint, (Observables?)null,
            Integer(root, "frame_evaluations"));
        var data = new CheckpointData(Text(root, "spec"), MemoryMarshal.Cast<byte, sbyte>(signs.Data).ToArray(), snapshot, Slabs(root));
        CheckpointContent.Check(data);
        return data;
    }

    /// <summary>The optional slab boundaries: non-negative integers.</summary>
    private static int[]? Slabs(IDictionary<object, object?> root)
    {
        if (!WireValues.TryGet(root, "slabs", out object? stored))
        {
            return null;
        }
        var rows = stored as object?[] ?? throw new FormatException("slabs: expected an array of mesh rows");
        return rows.Select(row => WireValues.TryLong(row) is { } value and >= 0 and <= int.MaxValue
            ? (int)value
            : throw new FormatException("slabs: expected an array of mesh rows")).ToArray();
    }

    private static Dictionary<string, object?> EncodeHistory(MultistepHistory history) => new()
    {
        ["times"] = NdArray.FromVector(history.Times),
        ["points"] = history.Points.Select(point => NdArray.FromAxes(point)).ToArray(),
        ["energy"] = history.Energy,
        ["order"] = history.Order,
        ["steps_at_order"] = history.StepsAtOrder,
    };

    /// <summary>The shapes are checked against the run when the integrator restores it.</summary>
    private static MultistepHistory DecodeHistory(IDictionary<object, object?> map)
    {
        var times = Array(map, "times");
        if (times.Shape.Length != 1)
        {
            throw new FormatException("history.times: expected a vector");
        }
        var points = Get(map, "points") as object?[] ?? throw new FormatException("history.points: expected an array");
        // The order was added with the variable-order BDF (issue 18); without it the history is issue 4's BDF2 one.
        return new MultistepHistory(
            times.ToDoubles(),
            points.Select(point => ToAxes(NdArray.Parse(Map(point, "history.points"), "history.points"), "history.points")).ToArray(),
            Number(map, "energy"),
            OptionalCount(map, "order"),
            OptionalCount(map, "steps_at_order"));
    }

    private static IDictionary<object, object?> Map(object? value, string name) =>
        value as IDictionary<object, object?> ?? throw new FormatException($"{name}: expected a map");

    private static object? Get(IDictionary<object, object?> map, string key) =>
        WireValues.TryGet(map, key, out object? value) ? value : throw new FormatException($"missing '{key}'");

    private static NdArray Array(IDictionary<object, object?> map, string key) => NdArray.Parse(Map(Get(map, key), key), key);

    private static double[][] Axes(IDictionary<object, object?> map, string key) => ToAxes(Array(map, key), key);

    private static double[][] ToAxes(NdArray array, string key) => array.Shape.Length == 2
        ? array.ToAxes()
        : throw new FormatException($"{key}: expected an n×d array, got shape [{string.Join(", ", array.Shape)}]");

    private static double Number(IDictionary<object, object?> map, string key) =>
        WireValues.TryDouble(Get(map, key)) ?? throw new FormatException($"{key}: expected a number");

    /// <summary>A non-negative int under <paramref name="key"/> of the history, 0 when absent.</summary>
    private static int OptionalCount(IDictionary<object, object?> map, string key)
    {
        if (!WireValues.TryGet(map, key, out _))
        {
            return 0;
        }
        long value = Integer(map, key);
        return value is >= 0 and <= int.MaxValue ? (int)value : throw new FormatException($"history.{key}: expected a count, got {value}");
    }

    private static long Integer(IDictionary<object, object?> map, string key) =>
        WireValues.TryLong(Get(map, key)) ?? throw new FormatException($"{key}: expected an integer");

    private static int Frame(IDictionary<object, object?> map, string key) =>
        Integer(map, key) is var frame and >= 0 and <= int.MaxValue ? (int)frame : throw new FormatException($"{key}: must be 0 … {int.MaxValue}, got {Integer(map, key)}");

    private static string Text(IDictionary<object, object?> map, string key) =>
        WireValues.TryString(Get(map, key)) ?? throw new FormatException($"{key}: expected a string");
}
