namespace HpcGB.Client;

/// <summary>Limits of one <see cref="HpcgbClient"/> connection: what the server may send and what may wait unread.</summary>
public sealed record HpcgbClientOptions
{
    /// <summary>Largest message accepted from the server; a larger one ends the connection (a 10^7-particle 2D
    /// state is 160 MB).</summary>
    public long MaxMessageBytes { get; init; } = 1L << 31;

    /// <summary>Notifications waiting on <see cref="HpcgbClient.Notifications"/>; beyond it new <c>progress</c> and
    /// <c>state</c> notifications are dropped and counted in <see cref="HpcgbClient.DroppedNotifications"/>. A
    /// run's last notification (<c>finished</c>, <c>failed</c>, <c>cancelled</c>, <c>shutdown</c>) is never dropped.</summary>
    public int NotificationQueue { get; init; } = 1024;

    /// <summary>Bytes of notifications (as received) waiting unread; beyond it new ones are dropped as above. One
    /// notification alone may be larger.</summary>
    public long NotificationQueueBytes { get; init; } = 256L << 20;
}
