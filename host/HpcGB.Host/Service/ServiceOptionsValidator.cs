using System.Net;
using Microsoft.Extensions.Options;

namespace HpcGB.Host.Service;

/// <summary>Rejects bad settings at start with messages naming the setting (<c>Service:Port: …</c>).</summary>
internal sealed class ServiceOptionsValidator : IValidateOptions<ServiceOptions>
{
    public ValidateOptionsResult Validate(string? name, ServiceOptions options)
    {
        var failures = new List<string>();
        void Check(bool ok, string setting, string reason)
        {
            if (!ok)
            {
                failures.Add($"{ServiceOptions.Section}:{setting}: {reason}");
            }
        }

        Check(options.Port is >= 0 and <= 65535, nameof(options.Port), $"must be 0…65535, got {options.Port}");
        bool isAddress = IPAddress.TryParse(options.Host, out var address);
        Check(isAddress, nameof(options.Host), $"must be an IP address, got '{options.Host}'");
        if (isAddress && options.UnixSocket is null && !IPAddress.IsLoopback(address!))
        {
            Check(!string.IsNullOrEmpty(options.Token), nameof(options.Token),
                $"required when listening on the non-loopback address {options.Host}");
        }
        Check(options.UnixSocket is null || options.UnixSocket.Length is > 0 and < 100, nameof(options.UnixSocket),
            "must be a path of 1…99 characters");
        Check(options.Token is null || options.Token.Length >= 8, nameof(options.Token), "must have at least 8 characters");
        Check(options.Workers is >= 1 and <= 1024, nameof(options.Workers), $"must be 1…1024, got {options.Workers}");
        Check(options.MaxMessageBytes >= 1024, nameof(options.MaxMessageBytes), $"must be at least 1024, got {options.MaxMessageBytes}");
        Check(options.MaxDepth is >= 4 and <= 256, nameof(options.MaxDepth), $"must be 4…256, got {options.MaxDepth}");
        Check(options.MaxParticles >= 1, nameof(options.MaxParticles), $"must be positive, got {options.MaxParticles}");
        Check(options.MaxRunsPerConnection >= 1, nameof(options.MaxRunsPerConnection), $"must be positive, got {options.MaxRunsPerConnection}");
        Check(options.MaxRuns >= 1, nameof(options.MaxRuns), $"must be positive, got {options.MaxRuns}");
        Check(options.MaxInFlightPerConnection >= 1, nameof(options.MaxInFlightPerConnection), $"must be positive, got {options.MaxInFlightPerConnection}");
        Check(options.NotificationQueue >= 1, nameof(options.NotificationQueue), $"must be positive, got {options.NotificationQueue}");
        Check(!string.IsNullOrWhiteSpace(options.CheckpointDirectory), nameof(options.CheckpointDirectory), "must be a directory path");
        Check(options.ShutdownTimeoutSeconds is >= 1 and <= 3600, nameof(options.ShutdownTimeoutSeconds),
            $"must be 1…3600, got {options.ShutdownTimeoutSeconds}");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
