using System.Security.Cryptography;
using HpcGB.Client.Wire;
using Microsoft.Extensions.Options;

namespace HpcGB.Host.Service;

/// <summary>
/// Checkpoint files in <see cref="ServiceOptions.CheckpointDirectory"/>, named by a random 128-bit hex id, written
/// atomically by <see cref="CheckpointFile.Save"/>.
/// </summary>
internal sealed class CheckpointStore(IOptions<ServiceOptions> options)
{
    private const string Extension = ".hpcgbckp";

    public string Directory { get; } = Path.GetFullPath(options.Value.CheckpointDirectory);

    /// <summary>Writes the checkpoint; returns its id.</summary>
    public string Save(CheckpointData data)
    {
        System.IO.Directory.CreateDirectory(Directory);
        string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        CheckpointFile.Save(PathOf(id), data);
        return id;
    }

    /// <summary>Reads a checkpoint; <see cref="RpcFault"/> for a malformed id, a missing or a corrupt file.</summary>
    public CheckpointData Load(string id)
    {
        if (id.Length != 32 || !id.All(Uri.IsHexDigit) || id.Any(char.IsUpper))
        {
            throw RpcFault.InvalidParams($"params[0] (checkpoint_id): expected 32 lowercase hex digits, got '{id}'");
        }
        string path = PathOf(id);
        if (!File.Exists(path))
        {
            throw new RpcFault(ErrorCodes.NotFound, $"no checkpoint '{id}' in {Directory}");
        }
        try
        {
            return CheckpointFile.Load(path);
        }
        catch (Exception ex) when (ex is FormatException or MessagePack.MessagePackSerializationException)
        {
            throw new RpcFault(ErrorCodes.RunFailed, $"checkpoint '{id}' is unreadable: {ex.Message}");
        }
    }

    private string PathOf(string id) => Path.Combine(Directory, id + Extension);
}
