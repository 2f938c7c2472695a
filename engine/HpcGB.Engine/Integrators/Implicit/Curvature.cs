namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>How <see cref="NewtonMatrix.Modify"/> treats negative curvature (attracting pairs, a concave field).</summary>
internal enum Curvature
{
    /// <summary>
    /// The Newton matrix: negative pair curvature is kept where a particle's budget allows and flipped in sign
    /// beyond it. K(x_i − x_j)² ≥ −2|λ|(x_i² + x_j²), so if the negative eigenvalues kept at every particle add up
    /// to at most ¼, the pairs lower M by at most ½, and M ≥ ¼ with the external part kept down to −¼. A particle
    /// whose negative curvature fits keeps all of it (Newton stays exact there); one whose does not keeps each
    /// pair's down to ¼/degree.
    /// </summary>
    Newton,

    /// <summary>|H|, every negative eigenvalue flipped: the size of the stiffness (<see cref="StiffnessEstimate"/>).</summary>
    Absolute,

    /// <summary>
    /// H₊, negative eigenvalues set to 0: the error filter's matrix. Backward Euler damps error where the flow
    /// contracts (a dipole relaxing into its core), not where it is unstable (a pair collapsing under
    /// regularisation none), so only positive curvature may filter.
    /// </summary>
    Stable,
}
