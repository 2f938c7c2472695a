using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HpcGB.Host.Service;

/// <summary>
/// Graceful stop (SIGINT/SIGTERM or <see cref="IHost.StopAsync"/>): registered after Kestrel so it stops first,
/// while connections are still open: runs are interrupted and checkpointed, subscribers get a <c>shutdown</c>
/// notification, then every connection stops reading, drains its outbox and closes; Kestrel stops afterwards.
/// </summary>
internal sealed class ShutdownCoordinator(
    RunRegistry runs, ConnectionRegistry connections, ServiceEndpoint endpoint, IOptions<ServiceOptions> options,
    ILogger<ShutdownCoordinator> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("hpcgb serve listening on {Address}", endpoint.Address);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.ShutdownTimeoutSeconds));
        logger.LogInformation("stopping: checkpointing runs, closing {Count} connections", connections.Count);
        await runs.ShutdownAsync(timeout.Token).ConfigureAwait(false);
        connections.CloseAll();
    }
}
