using System.Runtime.CompilerServices;

namespace HpcGB.Engine.Forces.Pme;

/// <summary>
/// Where a particle's stencil lies on an M×M mesh (row-major) when it does not wrap along the second axis: stencil
/// row q1 starts at mesh point <see cref="Offset"/>(q1) = ((r0 + q1) mod M)·M + c0 — the rows may wrap around M.
/// </summary>
internal readonly struct StencilPlacement(int r0, int c0, int mesh)
{
    private readonly int _first = r0 * mesh + c0;
    private readonly int _mesh = mesh;
    private readonly int _wrapsAt = mesh - r0; // stencil rows from here on lie at the start of the mesh

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Offset(int q1) => _first + (q1 < _wrapsAt ? q1 : q1 - _mesh) * _mesh;
}
