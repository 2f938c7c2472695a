using System.Globalization;
using Microsoft.Extensions.Options;

namespace HpcGB.Host.Service;

/// <summary>
/// The server's one admission budget in bytes (<see cref="ServiceOptions.MemoryBudgetBytes"/>). Everything that
/// holds memory for a while reserves its estimate here <em>before</em> allocating: a connection, the bytes of a
/// message being received, the decoded message, a spec's expansion, a run for its whole life, a <c>forces</c>
/// evaluation, every queued reply and notification. A reservation that does not fit is refused with a message
/// naming the need and what is free, so no request, run or subscriber can take the machine's memory.
/// </summary>
internal sealed class MemoryBudget(IOptions<ServiceOptions> options)
{
    private long _used;

    public long Capacity { get; } = options.Value.MemoryBudgetBytes;

    public long Used => Interlocked.Read(ref _used);

    public long Free => Capacity - Used;

    /// <summary>Reserves <paramref name="bytes"/>; null when they do not fit.</summary>
    public Reservation? TryReserve(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        while (true)
        {
            long used = Interlocked.Read(ref _used);
            if (used + bytes > Capacity)
            {
                return null;
            }
            if (Interlocked.CompareExchange(ref _used, used + bytes, used) == used)
            {
                return new Reservation(this, bytes);
            }
        }
    }

    /// <summary>Reserves <paramref name="bytes"/> for <paramref name="what"/> or throws <see cref="RpcFault"/>
    /// (limit exceeded) saying how much it needs and how much is free.</summary>
    public Reservation Reserve(long bytes, string what) =>
        TryReserve(bytes) ?? throw new RpcFault(Client.Wire.ErrorCodes.LimitExceeded, Refusal(bytes, what));

    public string Refusal(long bytes, string what) =>
        $"{what} needs about {Megabytes(bytes)} of memory; the server's budget (Service:MemoryBudgetBytes, {Megabytes(Capacity)}) has {Megabytes(Math.Max(0, Free))} free";

    public static string Megabytes(long bytes) =>
        (bytes / 1048576.0).ToString(bytes < 10 << 20 ? "0.0" : "0", CultureInfo.InvariantCulture) + " MiB";

    private void Release(long bytes) => Interlocked.Add(ref _used, -bytes);

    /// <summary>Bytes held in the budget until disposed (once; further disposals do nothing). It may grow.</summary>
    public sealed class Reservation : IDisposable
    {
        private readonly MemoryBudget _budget;
        private long _bytes;

        internal Reservation(MemoryBudget budget, long bytes)
        {
            _budget = budget;
            _bytes = bytes;
        }

        public long Bytes => Interlocked.Read(ref _bytes);

        /// <summary>Adds <paramref name="more"/> bytes to this reservation; false (nothing added) when they do not fit.</summary>
        public bool TryGrow(long more)
        {
            if (_budget.TryReserve(more) is not { } extra)
            {
                return false;
            }
            Interlocked.Add(ref _bytes, extra.Take());
            return true;
        }

        public void Dispose() => _budget.Release(Take());

        private long Take() => Interlocked.Exchange(ref _bytes, 0);
    }
}
