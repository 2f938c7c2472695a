namespace HpcGB.Engine.Spec;

/// <summary>Which time integrator to use.</summary>
public enum IntegratorType
{
    /// <summary>Adaptive Dormand–Prince 5(4) with rtol/atol.</summary>
    Dp45,

    /// <summary>Fixed-step forward Euler with step <see cref="TimeSpec.Step"/> (for tests).</summary>
    Euler,

    /// <summary>Adaptive implicit BDF2 / backward Euler for stiff runs (tight dipoles, tiny δ), with rtol/atol.</summary>
    Implicit,

    /// <summary>Implicit when the initial stiffness makes explicit steps tiny, DP45 otherwise (docs/implicit.md).</summary>
    Auto,
}

/// <summary>The spec's <c>time</c> block. Output times are End·i/(Outputs−1), i = 0 … Outputs−1.</summary>
public sealed record TimeSpec(double End, IntegratorType Integrator, double Rtol, double Atol, int Outputs, double Step)
{
    public static TimeSpec Default { get; } = new(1.0, IntegratorType.Dp45, 1e-6, 1e-9, 11, 1e-3);

    public double OutputTime(int index) => index == Outputs - 1 ? End : End * index / (Outputs - 1);
}
