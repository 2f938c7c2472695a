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
        Check(options.TokenFileError is null, nameof(options.TokenFile), options.TokenFileError ?? "");
        Check(options.Workers is >= 1 and <= 1024, nameof(options.Workers), $"must be 1…1024, got {options.Workers}");
        Check(options.MemoryBudgetBytes >= 64L << 20, nameof(options.MemoryBudgetBytes), $"must be at least 67108864 (64 MiB), got {options.MemoryBudgetBytes}");
        Check(options.MaxMessageBytes >= 1024 && options.MaxMessageBytes <= options.MemoryBudgetBytes / 4, nameof(options.MaxMessageBytes),
            $"must be 1024 … MemoryBudgetBytes / 4 ({options.MemoryBudgetBytes / 4}), got {options.MaxMessageBytes}");
        Check(double.IsFinite(options.MaxEvaluationWork) && options.MaxEvaluationWork >= 1, nameof(options.MaxEvaluationWork),
            $"must be a number ≥ 1, got {options.MaxEvaluationWork}");
        Check(options.MaxConnections is >= 1 and <= 1_000_000, nameof(options.MaxConnections), $"must be 1…1000000, got {options.MaxConnections}");
        Check(options.IdleTimeoutSeconds is >= 0 and <= 604800, nameof(options.IdleTimeoutSeconds), $"must be 0 (never) … 604800, got {options.IdleTimeoutSeconds}");
        Check(options.MessageTimeoutSeconds is >= 1 and <= 86400, nameof(options.MessageTimeoutSeconds), $"must be 1…86400, got {options.MessageTimeoutSeconds}");
        Check(options.HelloTimeoutSeconds is >= 1 and <= 3600, nameof(options.HelloTimeoutSeconds), $"must be 1…3600, got {options.HelloTimeoutSeconds}");
        Check(options.NotificationQueueBytes >= 1024, nameof(options.NotificationQueueBytes), $"must be at least 1024, got {options.NotificationQueueBytes}");
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
