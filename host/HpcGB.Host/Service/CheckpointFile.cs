using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using HpcGB.Client.Wire;
using HpcGB.Engine.Analysis;
using HpcGB.Engine.Integrators;
using MessagePack;

namespace HpcGB.Host.Service;

/// <summary>What a checkpoint holds: the normalised spec, the signs and a <see cref="RunSnapshot"/>.</summary>
internal sealed record CheckpointData(string SpecJson, sbyte[] Signs, RunSnapshot Snapshot);

/// <summary>
/// The checkpoint file format, version 2: the 8 bytes <c>HPCGBCKP</c>, the version (uint32 LE), the payload length
/// (uint64 LE), the SHA-256 of the payload (32 bytes), then the payload, a MessagePack map (spec JSON, time, frame
/// counters, unwrapped positions and signs as ndarrays, the integrator state). Doubles are float64, so they come back bit for bit.
/// Version 2 added the integrator's multistep history (nil for one-step integrators); version 1 files, which
/// lack it, are still read. The service's <see cref="CheckpointStore"/> and <c>hpcgb run</c> (checkpoint.hpcgbckp in
/// the output directory) write the same files through <see cref="Save"/>.
/// </summary>
internal static class CheckpointFile
{
    public const uint Version = 2;

    private const int HeaderBytes = 8 + 4 + 8 + 32;

    private static ReadOnlySpan<byte> Magic => "HPCGBCKP"u8;

    private static readonly MessagePackSerializerOptions Untrusted = MessagePackSerializerOptions.Standard.WithSecurity(new WireSecurity(16));

    /// <summary>
    /// Writes <paramref name="data"/> to <paramref name="path"/> atomically: to a temporary name beside it, flushed to
    /// disk, then renamed over the final name, so a crash leaves either the old file or the complete new one.
    /// </summary>
    public static void Save(string path, CheckpointData data)
    {
        byte[] bytes = Encode(data);
        string temporary = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
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
            WireWriter.WriteValue(ref writer, new Dictionary<string, object?>
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
                },
            });
            writer.Flush();
        });
        var file = new byte[HeaderBytes + payload.Length];
        Magic.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), Version);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(12), (ulong)payload.Length);
        SHA256.HashData(payload, file.AsSpan(20, 32));
        payload.CopyTo(file.AsSpan(HeaderBytes));
        return file;
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
        var payload = file.AsMemory(HeaderBytes);
        if (!SHA256.HashData(payload.Span).AsSpan().SequenceEqual(file.AsSpan(20, 32)))
        {
            throw new FormatException("payload does not match its SHA-256");
        }
        var root = Map(MessagePackSerializer.Deserialize<object?>(payload, Untrusted), "payload");
        var integrator = Map(Get(root, "integrator"), "integrator");
        var positions = Array(root, "positions").ToAxes();
        var velocity = Get(integrator, "velocity") is null ? null : Array(integrator, "velocity").ToAxes();
        var history = version >= 2 && Get(integrator, "history") is { } stored ? DecodeHistory(Map(stored, "history")) : null;
        var signs = Array(root, "signs");
        if (signs.Type != "|i1")
        {
            throw new FormatException("signs: expected int8");
        }
        var checkpoint = new IntegratorCheckpoint(
            Text(integrator, "name"), Number(integrator, "time"), Number(integrator, "step"), Number(integrator, "previous_error"),
            velocity, Integer(integrator, "accepted_steps"), Integer(integrator, "rejected_steps"), Integer(integrator, "force_evaluations"),
            history);
        var snapshot = new RunSnapshot(
            Number(root, "time"), (int)Integer(root, "next_frame"), positions, checkpoint, (Observables?)null,
            Integer(root, "frame_evaluations"));
        return new CheckpointData(Text(root, "spec"), MemoryMarshal.Cast<byte, sbyte>(signs.Data).ToArray(), snapshot);
    }

    private static Dictionary<string, object?> EncodeHistory(MultistepHistory history) => new()
    {
        ["times"] = NdArray.FromVector(history.Times),
        ["points"] = history.Points.Select(point => NdArray.FromAxes(point)).ToArray(),
        ["energy"] = history.Energy,
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
        return new MultistepHistory(
            times.ToDoubles(),
            points.Select(point => NdArray.Parse(Map(point, "history.points"), "history.points").ToAxes()).ToArray(),
            Number(map, "energy"));
    }

    private static IDictionary<object, object?> Map(object? value, string name) =>
        value as IDictionary<object, object?> ?? throw new FormatException($"{name}: expected a map");

    private static object? Get(IDictionary<object, object?> map, string key) =>
        WireValues.TryGet(map, key, out object? value) ? value : throw new FormatException($"missing '{key}'");

    private static NdArray Array(IDictionary<object, object?> map, string key) => NdArray.Parse(Map(Get(map, key), key), key);

    private static double Number(IDictionary<object, object?> map, string key) =>
        WireValues.TryDouble(Get(map, key)) ?? throw new FormatException($"{key}: expected a number");

    private static long Integer(IDictionary<object, object?> map, string key) =>
        WireValues.TryLong(Get(map, key)) ?? throw new FormatException($"{key}: expected an integer");

    private static string Text(IDictionary<object, object?> map, string key) =>
        WireValues.TryString(Get(map, key)) ?? throw new FormatException($"{key}: expected a string");
}
