using System.Threading.Channels;
using HpcGB.Client;
using HpcGB.Client.Wire;

namespace HpcGB.Host.Tests.Service;

/// <summary>Guards against hangs (not timings): a test that waits too long fails instead of blocking the run.</summary>
internal static class Wait
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public static Task<T> For<T>(Task<T> task) => task.WaitAsync(Patience);

    public static Task For(Task task) => task.WaitAsync(Patience);

    /// <summary>Notifications until one named <paramref name="method"/> for <paramref name="runId"/> arrives.</summary>
    public static async Task<List<RpcNotification>> Until(ChannelReader<RpcNotification> notifications, string method, long runId)
    {
        var seen = new List<RpcNotification>();
        using var timeout = new CancellationTokenSource(Patience);
        await foreach (var notification in notifications.ReadAllAsync(timeout.Token))
        {
            seen.Add(notification);
            if (notification.Method == method && Long(notification.Params[0], "run_id") == runId)
            {
                return seen;
            }
        }
        throw new InvalidOperationException($"connection ended before '{method}'");
    }

    public static long Long(object? map, string key) => WireValues.TryLong(HpcgbClient.Field(map, key))!.Value;

    public static double Double(object? map, string key) => WireValues.TryDouble(HpcgbClient.Field(map, key))!.Value;

    public static string Text(object? map, string key) => WireValues.TryString(HpcgbClient.Field(map, key))!;
}
