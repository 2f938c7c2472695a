namespace HpcGB.Engine.Forces;

/// <summary>Two particles met under the unregularised kernel (distance below <see cref="Distance"/>).</summary>
public sealed class CollisionException(int first, int second, double separation)
    : Exception($"particles {first} and {second} collided (distance {separation:R} < {Distance:R}) with regularization 'none'")
{
    /// <summary>Separation below which the unregularised interaction counts as a collision.</summary>
    public const double Distance = 1e-14;

    public int First { get; } = first;

    public int Second { get; } = second;

    public double Separation { get; } = separation;
}
