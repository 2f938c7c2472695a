using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using HpcGB.Client.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HpcGB.Host.Service;

/// <summary>
/// Checkpoint files in <see cref="ServiceOptions.CheckpointDirectory"/>, named by a random 128-bit hex id. A file
/// is written to a temporary name (<c>&lt;id&gt;.hpcgbckp.&lt;pid&gt;.tmp</c>), flushed to disk and renamed over the
/// final name, so a crash leaves either no file or the complete one. A write that fails (disk full, I/O error)
/// deletes its temporary file, so it cannot take the space the next checkpoint needs; temporary files of processes
/// that no longer run (a server killed mid-write) are deleted when the store opens.
/// </summary>
internal sealed class CheckpointStore
{
    private const string Extension = ".hpcgbckp";
    private const string TemporarySuffix = ".tmp";

    public CheckpointStore(IOptions<ServiceOptions> options, ILogger<CheckpointStore> logger)
    {
        Directory = Path.GetFullPath(options.Value.CheckpointDirectory);
        foreach (string stale in RemoveStaleTemporaries(Directory))
        {
            logger.LogWarning("removed {File}, left by an interrupted checkpoint write", stale);
        }
    }

    public string Directory { get; }

    /// <summary>Writes the checkpoint; returns its id. On failure no file of it remains.</summary>
    public string Save(CheckpointData data)
    {
        System.IO.Directory.CreateDirectory(Directory);
        string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        CheckpointFile.Save(PathOf(id), data, overwrite: false);
        return id;
    }

    /// <summary>The size of a checkpoint file in bytes; <see cref="RpcFault"/> for a malformed id or a missing file.</summary>
    public long Size(string id) => new FileInfo(ExistingPath(id)).Length;

    /// <summary>Reads a checkpoint; <see cref="RpcFault"/> for a malformed id, a missing or a corrupt file.</summary>
    public CheckpointData Load(string id)
    {
        string path = ExistingPath(id);
        try
        {
            return CheckpointFile.Load(path);
        }
        catch (Exception ex) when (ex is FormatException or MessagePack.MessagePackSerializationException)
        {
            throw new RpcFault(ErrorCodes.RunFailed, $"checkpoint '{id}' is unreadable: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RpcFault(ErrorCodes.RunFailed, $"checkpoint '{id}' cannot be read: {ex.Message}");
        }
    }

    /// <summary>
    /// Deletes <c>*.hpcgbckp.&lt;pid&gt;.tmp</c> files whose process is gone (or is this one, which has written
    /// nothing yet); a live process's file may be a write in progress and is left alone. Returns the deleted paths.
    /// </summary>
    internal static IReadOnlyList<string> RemoveStaleTemporaries(string directory)
    {
        var removed = new List<string>();
        if (!System.IO.Directory.Exists(directory))
        {
            return removed;
        }
        foreach (string file in System.IO.Directory.EnumerateFiles(directory, $"*{Extension}.*{TemporarySuffix}"))
        {
            string pid = Path.GetFileNameWithoutExtension(file).Split('.')[^1];
            if (int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out int owner)
                && (owner == Environment.ProcessId || !IsRunning(owner))
                && TryDelete(file))
            {
                removed.Add(file);
            }
        }
        return removed;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private string ExistingPath(string id)
    {
        if (id.Length != 32 || !id.All(Uri.IsHexDigit) || id.Any(char.IsUpper))
        {
            throw RpcFault.InvalidParams($"params[0] (checkpoint_id): expected 32 lowercase hex digits, got {WireValues.Describe(id)}");
        }
        string path = PathOf(id);
        if (!File.Exists(path))
        {
            throw new RpcFault(ErrorCodes.NotFound, $"no checkpoint '{id}' in {Directory}");
        }
        return path;
    }

    private string PathOf(string id) => Path.Combine(Directory, id + Extension);
}
