using System.CommandLine;
using HpcGB.Host.Service;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HpcGB.Host.Cli;

/// <summary>
/// <c>hpcgb serve</c>: the MessagePack-RPC service (docs/protocol.md) until SIGINT/SIGTERM. Settings (section
/// <c>Service</c>, see <see cref="ServiceOptions"/>) come from appsettings.json, then <c>HPCGB_Service__*</c>
/// environment variables, then the command line: the options below or any <c>--Service:Name value</c>.
/// A bad setting exits with code 2 and a message naming it.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(CliConsole console)
    {
        var config = new Option<string>("--config") { Description = "Settings file (JSON)", DefaultValueFactory = _ => "appsettings.json" };
        var host = new Option<string?>("--host") { Description = "IP address to listen on (default 127.0.0.1)" };
        var port = new Option<string?>("--port") { Description = "TCP port (default 7878; 0 picks a free one)" };
        var unixSocket = new Option<string?>("--unix-socket") { Description = "Listen on this Unix domain socket instead of TCP" };
        var token = new Option<string?>("--token")
        {
            Description = "Shared secret clients must send in hello (required off loopback); visible in the process list, prefer --token-file",
        };
        var tokenFile = new Option<string?>("--token-file") { Description = "File holding the shared secret (or set HPCGB_Service__Token)" };
        var workers = new Option<string?>("--workers") { Description = "Runs integrated at the same time (default 2)" };
        var checkpoints = new Option<string?>("--checkpoint-dir") { Description = "Directory for checkpoints (default ./checkpoints)" };
        var command = new Command(
            "serve",
            "Serve simulations over MessagePack-RPC (TCP or a Unix socket) until SIGINT/SIGTERM; any setting of docs/protocol.md also as --Service:Name value")
        {
            config, host, port, unixSocket, token, tokenFile, workers, checkpoints,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            // Generic settings first (--Service:MaxRuns 10), so the named options win over them.
            foreach (var (key, value) in new ConfigurationBuilder().AddCommandLine(parseResult.UnmatchedTokens.ToArray()).Build().AsEnumerable())
            {
                settings[key] = value;
            }
            void Map(Option<string?> option, string name)
            {
                if (parseResult.GetValue(option) is { } value)
                {
                    settings[$"{ServiceOptions.Section}:{name}"] = value;
                }
            }
            Map(host, nameof(ServiceOptions.Host));
            Map(port, nameof(ServiceOptions.Port));
            Map(unixSocket, nameof(ServiceOptions.UnixSocket));
            Map(token, nameof(ServiceOptions.Token));
            Map(tokenFile, nameof(ServiceOptions.TokenFile));
            if (parseResult.GetValue(token) is not null)
            {
                console.Error.WriteLine("warning: --token is visible to every user in the process list; prefer --token-file or HPCGB_Service__Token");
            }
            Map(workers, nameof(ServiceOptions.Workers));
            Map(checkpoints, nameof(ServiceOptions.CheckpointDirectory));
            var level = parseResult.GetValue(HpcgbCli.Verbose) ? LogLevel.Information : LogLevel.Warning;
            try
            {
                return await RunAsync(console, parseResult.GetValue(config), settings, level, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                return ErrorReporter.Report(exception, console.Error, parseResult.GetValue(HpcgbCli.Verbose));
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(
        CliConsole console, string? settingsFile, Dictionary<string, string?> settings, LogLevel level, CancellationToken cancellationToken)
    {
        using var server = ServiceHost.Build(settingsFile, settings, console.Error, level);
        try
        {
            // Settings first, so that a bad one is one line, not the host's start-up failure with its stack trace.
            _ = server.Services.GetRequiredService<IOptions<ServiceOptions>>().Value;
            await server.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OptionsValidationException invalid)
        {
            foreach (string failure in invalid.Failures)
            {
                console.Error.WriteLine($"error: {failure}");
            }
            return ExitCodes.InvalidInput;
        }
        catch (InvalidOperationException binding) when (binding.Message.Contains("configuration value", StringComparison.Ordinal))
        {
            // "Failed to convert configuration value '…' at 'Service:Port' to type 'System.Int32'."
            console.Error.WriteLine($"error: {binding.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (ServiceSetupException setup)
        {
            console.Error.WriteLine($"error: {setup.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (IOException listen)
        {
            // Kestrel could not bind: the address is in use or not ours.
            console.Error.WriteLine($"error: cannot listen: {listen.Message}");
            return ExitCodes.RuntimeFailure;
        }
        console.Out.WriteLine($"hpcgb serve listening on {server.Services.GetRequiredService<ServiceEndpoint>().Address}");
        console.Out.Flush();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // SIGINT/SIGTERM: stop gracefully below.
        }
        await server.StopAsync(CancellationToken.None).ConfigureAwait(false);
        // A run that could not be saved is lost with the process: say so, and do not exit 0.
        var lost = server.Services.GetRequiredService<RunRegistry>().ShutdownFailures;
        foreach (string line in lost)
        {
            console.Error.WriteLine($"error: {line}");
        }
        return lost.Count == 0 ? ExitCodes.Success : ExitCodes.RuntimeFailure;
    }
}
