namespace HpcGB.Engine.Forces.NearField.Simd;

/// <summary>
/// The few lane operations the generic pair loop needs, so that the loop is written once for
/// <see cref="ScalarLanes"/> (one lane, <c>bool</c> masks), <see cref="Lanes256"/> and <see cref="Lanes512"/>
/// (masks are all-ones/all-zeros lanes of the vector itself). Static abstracts on structs: each instantiation
/// is specialised and inlined by the JIT. The operators' formulas are written directly on the vector types
/// (one overload per width), which keeps the JIT's inlining budget for the loop.
/// </summary>
/// <typeparam name="TV">The lane vector (<c>double</c>, <c>Vector256&lt;double&gt;</c>, <c>Vector512&lt;double&gt;</c>).</typeparam>
/// <typeparam name="TM">The comparison mask.</typeparam>
internal interface ILanes<TV, TM>
    where TV : struct
    where TM : struct
{
    /// <summary>Number of doubles per vector.</summary>
    static abstract int Count { get; }

    static abstract TV Create(double value);

    /// <summary>Loads <see cref="Count"/> doubles starting at <c>source + index</c>.</summary>
    static abstract TV Load(ref double source, nint index);

    static abstract void Store(TV value, ref double destination, nint index);

    static abstract TV Add(TV a, TV b);

    static abstract TV Subtract(TV a, TV b);

    static abstract TV Multiply(TV a, TV b);

    /// <summary>a·b + c (fused on the vector paths; plain on the scalar path).</summary>
    static abstract TV MultiplyAdd(TV a, TV b, TV c);

    /// <summary>Round to the nearest integer (the minimum-image shift).</summary>
    static abstract TV Round(TV a);

    static abstract TM LessThan(TV a, TV b);

    static abstract TM And(TM a, TM b);

    /// <summary>The lane indices 0, 1, …, Count − 1.</summary>
    static abstract TV Indices { get; }

    static abstract bool Any(TM mask);

    /// <summary>The lanes of <paramref name="value"/> selected by <paramref name="mask"/>, +0 elsewhere (also where value is NaN).</summary>
    static abstract TV Keep(TM mask, TV value);

    /// <summary>The lanes of <paramref name="a"/> selected by <paramref name="mask"/>, those of <paramref name="b"/> elsewhere.</summary>
    static abstract TV Select(TM mask, TV a, TV b);

    /// <summary>Bit k set where lane k is selected.</summary>
    static abstract ulong MaskBits(TM mask);

    static abstract TV Abs(TV a);

    /// <summary>The larger of each lane (the hardware's: for NaN either operand may come back; callers pass none).</summary>
    static abstract TV Max(TV a, TV b);

    /// <summary>The smaller of each lane, <paramref name="b"/> where <paramref name="a"/> is NaN (the hardware's minimum).</summary>
    static abstract TV Min(TV a, TV b);

    /// <summary>
    /// Left-packs the lanes selected by <paramref name="mask"/> of the four vectors and stores them (full vectors:
    /// the slots after the packed lanes are scratch) at <paramref name="at"/> in the four buffers; returns how many
    /// lanes were selected. Branch-free: the count is 0 when no lane is selected.
    /// </summary>
    static abstract int Append(TM mask, TV a, TV b, TV c, TV d,
        ref double bufferA, ref double bufferB, ref double bufferC, ref double bufferD, nint at);

    /// <summary>
    /// Left-packs the list entries source[index + k] | flag of the lanes k selected by <paramref name="mask"/> and stores
    /// them (<see cref="Count"/> slots from <paramref name="at"/>: those after the packed entries are scratch) at
    /// <paramref name="at"/> in destination; returns how many lanes were selected. Branch-free.
    /// </summary>
    static abstract int AppendEntries(TM mask, ref int source, nint index, int flag, ref int destination, nint at);

    /// <summary>Sum of the lanes in a fixed order (deterministic).</summary>
    static abstract double Sum(TV value);

    /// <summary>Forwards to the operator's overload of this width.</summary>
    static abstract void Gradient<TOp>(in TOp op, TV x1, TV x2, TV r2, out TV g1, out TV g2)
        where TOp : struct, IShortRangeOperator;

    /// <summary>Forwards to the operator's overload of this width.</summary>
    static abstract TV Potential<TOp>(in TOp op, TV x1, TV x2, TV r2)
        where TOp : struct, IShortRangeOperator;

    /// <summary>The gradient of <see cref="Gradient"/> and the potential of <see cref="Potential"/> from one call (the
    /// vector widths share the operator's exponential; the scalar path calls the two reference formulas).</summary>
    static abstract void GradientAndPotential<TOp>(in TOp op, TV x1, TV x2, TV r2, out TV g1, out TV g2, out TV s)
        where TOp : struct, IShortRangeOperator;
}
