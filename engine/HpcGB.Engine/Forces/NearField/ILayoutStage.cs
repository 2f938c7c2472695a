namespace HpcGB.Engine.Forces.NearField;

/// <summary>
/// Work on the particles in the near field's cluster layout, run by <see cref="NearFieldEvaluator"/> between its sort
/// and its pair loop (the mesh, so that it need not sort the particles itself), whose per-particle results at the
/// layout's slots the near field's scatter carries into the caller's order together with its own forces.
/// </summary>
internal interface ILayoutStage
{
    /// <summary>Runs on the sorted <paramref name="layout"/>; writes <see cref="Slots1"/>, <see cref="Slots2"/> at every particle's slot.</summary>
    void Run(ClusterGrid layout);

    /// <summary>The results in slot order (at least <see cref="ClusterGrid.PaddedCount"/> long).</summary>
    double[] Slots1 { get; }

    double[] Slots2 { get; }
}
