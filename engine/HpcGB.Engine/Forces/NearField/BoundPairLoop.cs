using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using HpcGB.Engine.Forces.NearField.Simd;

namespace HpcGB.Engine.Forces.NearField;

/// <summary>A short-range operator bound to its pair loop; maps (path, energy) to the matching generic instantiation.</summary>
internal abstract class BoundPairLoop
{
    static BoundPairLoop()
    {
        // Initialise the lane types' tables before the pair loops are compiled, so that the JIT treats them as
        // constants (no class-initialisation checks in the loops).
        RuntimeHelpers.RunClassConstructor(typeof(Lanes256).TypeHandle);
        RuntimeHelpers.RunClassConstructor(typeof(Lanes512).TypeHandle);
    }

    public abstract IShortRangeOperator Operator { get; }

    public abstract PairLoopResult Run(SimdPath path, bool withEnergy, CellList cells, int cellBegin, int cellEnd, double[] f1, double[] f2, PairScratch scratch);

    public abstract PairLoopResult RunClusters(SimdPath path, bool withEnergy, ClusterGrid grid, int chunkBegin, int chunkEnd, double[] f1, double[] f2);
}

/// <inheritdoc />
internal sealed class BoundPairLoop<TOp>(TOp op) : BoundPairLoop
    where TOp : struct, IShortRangeOperator
{
    private readonly TOp _op = op;

    public override IShortRangeOperator Operator => _op;

    public override PairLoopResult Run(SimdPath path, bool withEnergy, CellList cells, int cellBegin, int cellEnd, double[] f1, double[] f2, PairScratch scratch) =>
        (path, withEnergy) switch
        {
            (SimdPath.Avx512, false) => PairLoop<TOp>.Run<Lanes512, Vector512<double>, Vector512<double>, ForcesOnly>(_op, cells, cellBegin, cellEnd, f1, f2, scratch),
            (SimdPath.Avx512, true) => PairLoop<TOp>.Run<Lanes512, Vector512<double>, Vector512<double>, WithEnergy>(_op, cells, cellBegin, cellEnd, f1, f2, scratch),
            (SimdPath.Avx2, false) => PairLoop<TOp>.Run<Lanes256, Vector256<double>, Vector256<double>, ForcesOnly>(_op, cells, cellBegin, cellEnd, f1, f2, scratch),
            (SimdPath.Avx2, true) => PairLoop<TOp>.Run<Lanes256, Vector256<double>, Vector256<double>, WithEnergy>(_op, cells, cellBegin, cellEnd, f1, f2, scratch),
            (SimdPath.Scalar, false) => PairLoop<TOp>.Run<ScalarLanes, double, bool, ForcesOnly>(_op, cells, cellBegin, cellEnd, f1, f2, scratch),
            (SimdPath.Scalar, true) => PairLoop<TOp>.Run<ScalarLanes, double, bool, WithEnergy>(_op, cells, cellBegin, cellEnd, f1, f2, scratch),
            _ => throw new ArgumentOutOfRangeException(nameof(path), path, "the path must be resolved first"),
        };

    public override PairLoopResult RunClusters(SimdPath path, bool withEnergy, ClusterGrid grid, int chunkBegin, int chunkEnd, double[] f1, double[] f2) =>
        (path, withEnergy) switch
        {
            (SimdPath.Avx512, false) => ClusterPairLoop<TOp>.Run<Lanes512, Vector512<double>, Vector512<double>, ForcesOnly>(_op, grid, chunkBegin, chunkEnd, f1, f2),
            (SimdPath.Avx512, true) => ClusterPairLoop<TOp>.Run<Lanes512, Vector512<double>, Vector512<double>, WithEnergy>(_op, grid, chunkBegin, chunkEnd, f1, f2),
            (SimdPath.Avx2, false) => ClusterPairLoop<TOp>.Run<Lanes256, Vector256<double>, Vector256<double>, ForcesOnly>(_op, grid, chunkBegin, chunkEnd, f1, f2),
            (SimdPath.Avx2, true) => ClusterPairLoop<TOp>.Run<Lanes256, Vector256<double>, Vector256<double>, WithEnergy>(_op, grid, chunkBegin, chunkEnd, f1, f2),
            (SimdPath.Scalar, false) => ClusterPairLoop<TOp>.Run<ScalarLanes, double, bool, ForcesOnly>(_op, grid, chunkBegin, chunkEnd, f1, f2),
            (SimdPath.Scalar, true) => ClusterPairLoop<TOp>.Run<ScalarLanes, double, bool, WithEnergy>(_op, grid, chunkBegin, chunkEnd, f1, f2),
            _ => throw new ArgumentOutOfRangeException(nameof(path), path, "the path must be resolved first"),
        };
}
