namespace HpcGB.Engine.Forces.Pme;

/// <summary>
/// The scratch of a row-by-row gather (<see cref="MeshStencil.Gather{TLanes}"/>), p values each: the weights and their
/// derivatives along both axes, the two sums by row, and a row copied out where the stencil wraps. One block per
/// thread, from its stack, shared by the serial and the distributed mesh.
/// </summary>
internal readonly ref struct GatherScratch
{
    /// <summary>Buffers of p values in the block.</summary>
    public const int Buffers = 7;

    /// <param name="block">At least <see cref="Buffers"/> × <paramref name="order"/> values.</param>
    /// <param name="order">The B-spline order p.</param>
    public GatherScratch(Span<double> block, int order)
    {
        W1 = block[..order];
        D1 = block.Slice(order, order);
        W2 = block.Slice(2 * order, order);
        D2 = block.Slice(3 * order, order);
        Acc1 = block.Slice(4 * order, order);
        Acc2 = block.Slice(5 * order, order);
        Wrapped = block.Slice(6 * order, order);
    }

    /// <summary>The weights along axis 1 and their derivatives with respect to M·x1.</summary>
    public Span<double> W1 { get; }

    public Span<double> D1 { get; }

    /// <summary>The same along axis 2 (unused in 1D).</summary>
    public Span<double> W2 { get; }

    public Span<double> D2 { get; }

    /// <summary>The sums by row (Σ_q1 W1'(q1) φ, Σ_q1 W1(q1) φ at each column of the stencil).</summary>
    public Span<double> Acc1 { get; }

    public Span<double> Acc2 { get; }

    /// <summary>A mesh row's stencil columns copied out where they wrap.</summary>
    public Span<double> Wrapped { get; }
}
