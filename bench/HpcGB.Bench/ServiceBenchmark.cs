using System.Diagnostics;
using System.Globalization;
using HpcGB.Client;
using HpcGB.Host.Service;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HpcGB.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/HpcGB.Bench -- service [n]</c>: an in-process <c>hpcgb serve</c> on
/// loopback and the C# client: median round trip of <c>hello</c> and of <c>forces</c> (n = 100, reference), and
/// the throughput of <c>get_state</c> positions (n×2 float64) at n = 10^6.
/// </summary>
internal static class ServiceBenchmark
{
    public static async Task RunAsync(int n)
    {
        string checkpoints = Path.Combine(Path.GetTempPath(), "hpcgb-bench-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?> { ["Service:Port"] = "0", ["Service:CheckpointDirectory"] = checkpoints };
        using var host = ServiceHost.Build(null, settings, Console.Error, LogLevel.Warning);
        await host.StartAsync();
        int port = host.Services.GetRequiredService<ServiceEndpoint>().Port;
        await using (var client = await HpcgbClient.ConnectAsync("127.0.0.1", port))
        {
            var hello = await Median(2000, () => client.HelloAsync());
            Report("hello round trip", hello, null);

            string small = """{ "dimension": 2, "particles": { "init": "uniform", "n": 100 }, "forces": { "method": "reference" } }""";
            var forces = await Median(200, () => client.ForcesAsync(small));
            Report("forces n=100 (reference) round trip", forces, null);

            long run = await client.CreateRunAsync(
                $$"""{ "dimension": 2, "particles": { "init": "uniform", "n": {{n}} }, "forces": { "method": "pme" } }""");
            var state = await Median(10, () => client.GetStateAsync(run, "positions"));
            double megabytes = n * 2 * sizeof(double) / 1e6;
            Report($"get_state positions n={n} ({megabytes:F0} MB)", state, megabytes);
        }
        await host.StopAsync();
        Directory.Delete(checkpoints, recursive: true);
    }

    /// <summary>Median wall time of <paramref name="count"/> sequential calls, after a tenth as many warm-ups.</summary>
    private static async Task<TimeSpan> Median(int count, Func<Task> call)
    {
        for (int k = 0; k < Math.Max(2, count / 10); k++)
        {
            await call();
        }
        var times = new double[count];
        for (int k = 0; k < count; k++)
        {
            long start = Stopwatch.GetTimestamp();
            await call();
            times[k] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        Array.Sort(times);
        return TimeSpan.FromSeconds(times[count / 2]);
    }

    private static void Report(string what, TimeSpan median, double? megabytes)
    {
        string rate = megabytes is { } mb ? string.Create(CultureInfo.InvariantCulture, $"   {mb / median.TotalSeconds:F0} MB/s") : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what,-48} median {median.TotalMicroseconds,10:F1} µs{rate}"));
    }
}
