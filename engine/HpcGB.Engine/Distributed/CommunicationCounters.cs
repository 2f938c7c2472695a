using System.Diagnostics;

namespace HpcGB.Engine.Distributed;

/// <summary>Bytes, messages and wall time of one <see cref="CommunicationPhase"/> on one rank.</summary>
/// <param name="BytesSent">Payload sent to other ranks (a rank's messages to itself are copies and not counted).</param>
/// <param name="Messages">Messages sent to other ranks.</param>
/// <param name="Seconds">Wall time inside the communication calls, waiting included.</param>
public readonly record struct PhaseTraffic(long BytesSent, long Messages, double Seconds)
{
    public static PhaseTraffic operator +(PhaseTraffic a, PhaseTraffic b) =>
        new(a.BytesSent + b.BytesSent, a.Messages + b.Messages, a.Seconds + b.Seconds);

    public static PhaseTraffic operator -(PhaseTraffic a, PhaseTraffic b) =>
        new(a.BytesSent - b.BytesSent, a.Messages - b.Messages, a.Seconds - b.Seconds);
}

/// <summary>
/// Traffic per <see cref="CommunicationPhase"/> since the counters were made or <see cref="Reset"/>: what
/// <c>bench -- distributed</c> prints and docs/distributed.md models. One instance per communicator, written by the
/// communicating thread only.
/// </summary>
public sealed class CommunicationCounters
{
    private readonly PhaseTraffic[] _phases = new PhaseTraffic[Enum.GetValues<CommunicationPhase>().Length];

    /// <summary>The traffic of <paramref name="phase"/> so far.</summary>
    public PhaseTraffic this[CommunicationPhase phase] => _phases[(int)phase];

    /// <summary>All phases added up.</summary>
    public PhaseTraffic Total => _phases.Aggregate(default(PhaseTraffic), (sum, p) => sum + p);

    /// <summary>A copy of every phase's traffic, in <see cref="CommunicationPhase"/> order.</summary>
    public PhaseTraffic[] Snapshot() => (PhaseTraffic[])_phases.Clone();

    public void Reset() => Array.Clear(_phases);

    internal void Record(CommunicationPhase phase, long bytes, long messages, long startTimestamp) =>
        _phases[(int)phase] += new PhaseTraffic(bytes, messages, Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds);
}
