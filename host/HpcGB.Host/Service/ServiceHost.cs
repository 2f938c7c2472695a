using HpcGB.Host.Logging;
using HpcGB.Host.Service.Methods;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HpcGB.Host.Service;

/// <summary>
/// Builds the generic host of <c>hpcgb serve</c>: configuration (appsettings.json &lt; <c>HPCGB_</c> environment
/// variables &lt; command line), logging, the service's singletons, and Kestrel with one raw listener.
/// </summary>
internal static class ServiceHost
{
    /// <param name="settingsFile">appsettings.json to read (optional file); null: none.</param>
    /// <param name="commandLine">Settings from the command line, keys like <c>Service:Port</c>; they win.</param>
    public static IHost Build(string? settingsFile, IReadOnlyDictionary<string, string?> commandLine, TextWriter log, LogLevel level)
    {
        var builder = new HostBuilder()
            .ConfigureAppConfiguration(configuration =>
            {
                if (settingsFile is not null)
                {
                    configuration.AddJsonFile(Path.GetFullPath(settingsFile), optional: true, reloadOnChange: false);
                }
                configuration.AddEnvironmentVariables(prefix: "HPCGB_");
                configuration.AddInMemoryCollection(commandLine);
            })
            .ConfigureLogging((context, logging) =>
            {
                logging.SetMinimumLevel(level);
                logging.AddConfiguration(context.Configuration.GetSection("Logging"));
                // Kestrel's own start-up lines would repeat ours; its warnings and errors still show.
                logging.AddFilter("Microsoft", LogLevel.Warning);
                // A failed start is reported by `hpcgb serve` in one line; the host's own report is a stack trace.
                logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
                logging.AddProvider(new TextWriterLoggerProvider(log));
            })
            .ConfigureWebHost(web => web.UseKestrelCore().Configure(_ => { }))
            .ConfigureServices((context, services) =>
            {
                services.AddOptions<ServiceOptions>()
                    .Bind(context.Configuration.GetSection(ServiceOptions.Section))
                    .ValidateOnStart();
                services.AddSingleton<IPostConfigureOptions<ServiceOptions>, TokenFileReader>();
                services.AddSingleton<IValidateOptions<ServiceOptions>, ServiceOptionsValidator>();
                services.AddSingleton<MemoryBudget>();
                services.AddSingleton<ServiceEndpoint>();
                services.AddSingleton<IConfigureOptions<KestrelServerOptions>>(provider => provider.GetRequiredService<ServiceEndpoint>());
                services.AddSingleton<WorkerPool>();
                services.AddSingleton<CheckpointStore>();
                services.AddSingleton<RunRegistry>();
                services.AddSingleton<ConnectionRegistry>();
                services.RemoveAll<IConnectionListenerFactory>();
                services.AddSingleton<IConnectionListenerFactory>(provider => new AcceptGate(
                    new SocketTransportFactory(provider.GetRequiredService<IOptions<SocketTransportOptions>>(), provider.GetRequiredService<ILoggerFactory>()),
                    provider.GetRequiredService<ConnectionRegistry>()));
                services.AddSingleton<IRpcMethodGroup, SessionMethods>();
                services.AddSingleton<IRpcMethodGroup, SpecMethods>();
                services.AddSingleton<IRpcMethodGroup, RunMethods>();
                services.AddSingleton<IRpcMethodGroup, SubscriptionMethods>();
                services.AddSingleton<IRpcMethodGroup, CheckpointMethods>();
                services.AddSingleton<RpcDispatcher>();
                // After Kestrel's hosted service, so it stops first, while connections are still open.
                services.AddHostedService<ShutdownCoordinator>();
            });
        return builder.Build();
    }
}
