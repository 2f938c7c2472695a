using HpcGB.Host.Logging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HpcGB.Host.Cli;

/// <summary>
/// The generic host behind one command: configuration from <c>HPCGB_*</c> environment variables
/// (e.g. <c>HPCGB_Logging__LogLevel__Default=Debug</c>) and logging to the invocation's stderr,
/// quiet by default (Warning), Information with <c>--verbose</c>.
/// </summary>
internal static class CliHost
{
    public static IHost Build(CliConsole console, bool verbose)
    {
        // DisableDefaults: no appsettings.json from the working directory, no console lifetime, no default providers.
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(
            new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddEnvironmentVariables(prefix: "HPCGB_");

        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        if (verbose)
        {
            builder.Logging.AddFilter(category: null, level: LogLevel.Information);
        }
        builder.Logging.AddProvider(new TextWriterLoggerProvider(console.Error));

        builder.Services.AddSingleton(console);
        return builder.Build();
    }

    public static ILogger<T> Logger<T>(this IHost host) => host.Services.GetRequiredService<ILogger<T>>();
}
