namespace HpcGB.Engine.Integrators;

/// <summary>The error scale of a position component, shared by the adaptive integrators' error norms.</summary>
internal static class PositionTolerance
{
    /// <summary>
    /// atol + rtol·L with L = 1 the torus period. Positions on the torus have no origin: scaling by |x| would give
    /// a particle near x = 0 a tolerance a hundred times tighter than one near x = ½, and a translated copy of a
    /// system a different sequence of steps.
    /// </summary>
    public static double Scale(double rtol, double atol) => atol + rtol;
}
