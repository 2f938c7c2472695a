using HpcGB.Interop.Files;
using Microsoft.Extensions.Options;

namespace HpcGB.Host.Service;

/// <summary>Reads <see cref="ServiceOptions.TokenFile"/> into <see cref="ServiceOptions.Token"/> (a trailing newline
/// dropped); a problem is left for <see cref="ServiceOptionsValidator"/> to report as <c>Service:TokenFile: …</c>.</summary>
internal sealed class TokenFileReader : IPostConfigureOptions<ServiceOptions>
{
    public void PostConfigure(string? name, ServiceOptions options)
    {
        if (options.TokenFile is not { } path)
        {
            return;
        }
        if (!string.IsNullOrEmpty(options.Token))
        {
            options.TokenFileError = "set either Token or TokenFile, not both";
            return;
        }
        var type = FileKind.Of(path);
        if (type is not (FileType.RegularFile or FileType.Unknown))
        {
            options.TokenFileError = type == FileType.Missing ? $"{path} does not exist" : $"{path} is {FileKind.Describe(type)}, not a regular file";
            return;
        }
        try
        {
            options.Token = File.ReadAllText(path).TrimEnd('\r', '\n');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            options.TokenFileError = $"cannot read {path}: {ex.Message}";
        }
    }
}
