namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>Pairs whose separation the stage solve holds fixed (<see cref="ApproachingPairs"/>).</summary>
internal sealed partial class NewtonMatrix
{
    /// <summary>
    /// Curvature added along a held pair's separation: Newton's step then leaves the separation where it was put
    /// (its residual there is projected out, <see cref="ApproachingPairs.Project"/>), the pair counts as stable (no
    /// saddle escape, no flipped curvature), and the matching solves it in dipole coordinates, stiffest first.
    /// </summary>
    private const double HeldCurvature = 1e10;

    /// <summary>The pairs held in the stage being solved (serial runs of the isotropic log kernel), or null.</summary>
    public ApproachingPairs? HeldPairs { get; set; }

    /// <summary>Whether pair p of the last assembly is held (pulled in, though its added curvature is positive).</summary>
    private bool IsHeld(int p) => HeldPairs is { Held: > 0 } held && held.HeldPartner[_pairs.First(p)] == _pairs.Second(p);

    private void AddHeldCurvature(Sym2[] raw)
    {
        if (HeldPairs is not { Held: > 0 } held)
        {
            return;
        }
        int[] partner = held.HeldPartner;
        var penalty = Components == 1 ? new Sym2(HeldCurvature, 0, 0) : HeldCurvature * Sym2.Identity;
        for (int p = 0; p < _pairs.Count; p++)
        {
            if (partner[_pairs.First(p)] == _pairs.Second(p))
            {
                raw[p] += penalty;
            }
        }
    }
}
