namespace HpcGB.Engine.Distributed;

/// <summary>What a message of a distributed run is for; <see cref="CommunicationCounters"/> keeps bytes and time per phase.</summary>
public enum CommunicationPhase
{
    /// <summary>Initial particles from rank 0 to their owners.</summary>
    Setup,

    /// <summary>Particles away from their home slab lent to the slab's owner for one evaluation, and their velocities back.</summary>
    Lending,

    /// <summary>The near field's halo of width r_c from the right neighbour, and the halo's forces back.</summary>
    Halo,

    /// <summary>The B-spline overlap rows of the mesh: charges to the left neighbour, potentials from it.</summary>
    MeshOverlap,

    /// <summary>The all-to-all transposes of the distributed FFT.</summary>
    Transpose,

    /// <summary>Sums, maxima and small all-gathers: energies, error norms, counts.</summary>
    Reduction,

    /// <summary>Particles re-homed (with their integrator state) after they crossed slab boundaries or the slabs moved.</summary>
    Migration,

    /// <summary>The implicit integrator's ghosts at every assembly of its Newton matrix, and their matrix entries.</summary>
    Newton,

    /// <summary>The ghosts' entries in every product of the implicit integrator's conjugate gradient.</summary>
    ConjugateGradient,

    /// <summary>Frames, observables' halos and checkpoints gathered for rank 0's outputs.</summary>
    Output,
}
