using MessagePack;

namespace HpcGB.Client.Wire;

/// <summary>
/// <see cref="MessagePackSecurity.UntrustedData"/> (hash-collision-resistant maps, a depth limit) that also takes
/// bin map keys, which the stock profile rejects and the msgpack-numpy layout needs (<c>nd</c>, <c>type</c>, …).
/// Bin keys are hashed with <see cref="HashCode"/>, randomly seeded per process, so they cannot be chosen to collide.
/// </summary>
public sealed class WireSecurity : MessagePackSecurity
{
    public WireSecurity(int maxDepth)
        : base(UntrustedData.WithMaximumObjectGraphDepth(maxDepth))
    {
    }

    private WireSecurity(WireSecurity copyFrom)
        : base(copyFrom)
    {
    }

    protected override IEqualityComparer<T> GetHashCollisionResistantEqualityComparer<T>() =>
        typeof(T) == typeof(byte[])
            ? (IEqualityComparer<T>)(object)BinKeyComparer.Instance
            : base.GetHashCollisionResistantEqualityComparer<T>();

    protected override MessagePackSecurity Clone() => new WireSecurity(this);

    /// <summary>Bin keys compared by content.</summary>
    private sealed class BinKeyComparer : IEqualityComparer<byte[]>, System.Collections.IEqualityComparer
    {
        public static readonly BinKeyComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x is null ? y is null : y is not null && x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] key)
        {
            var hash = new HashCode();
            hash.AddBytes(key);
            return hash.ToHashCode();
        }

        bool System.Collections.IEqualityComparer.Equals(object? x, object? y) => Equals(x as byte[], y as byte[]);

        int System.Collections.IEqualityComparer.GetHashCode(object key) => GetHashCode((byte[])key);
    }
}
