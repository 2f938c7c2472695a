namespace HpcGB.Engine.Model;

/// <summary>The interaction kernel V (docs/numerics.md §1).</summary>
public enum KernelType
{
    /// <summary>Periodic logarithmic kernel: screw dislocations, Coulomb gases, vortices (d = 1, 2).</summary>
    Log,

    /// <summary>Edge-dislocation kernel −log|x| + x1²/|x|² periodised on T² (d = 2 only).</summary>
    Edge,
}
