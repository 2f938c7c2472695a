using HpcGB.Engine.Integrators.Implicit;

namespace HpcGB.Engine.Spec;

/// <summary>Which time integrator to use.</summary>
public enum IntegratorType
{
    /// <summary>Adaptive Dormand–Prince 5(4) with rtol/atol.</summary>
    Dp45,

    /// <summary>Fixed-step forward Euler with step <see cref="TimeSpec.Step"/> (for tests).</summary>
    Euler,

    /// <summary>Adaptive implicit BDF (order ≤ <see cref="TimeSpec.MaxOrder"/>) for stiff runs (tight dipoles, tiny δ), with rtol/atol.</summary>
    Implicit,

    /// <summary>Implicit when the initial stiffness makes explicit steps tiny, DP45 otherwise (docs/implicit.md).</summary>
    Auto,
}

/// <summary>What the implicit integrator's rtol and atol bound (docs/implicit.md, "Order and tolerance").</summary>
public enum ErrorControl
{
    /// <summary>The local error of each step, as in DASSL and CVODE (the default).</summary>
    PerStep,

    /// <summary>The error per unit of time: the local errors of a run add up to about rtol per unit of time.</summary>
    PerUnitTime,
}

/// <summary>The spec's <c>time</c> block. Output times are End·i/(Outputs−1), i = 0 … Outputs−1.</summary>
public sealed record TimeSpec(double End, IntegratorType Integrator, double Rtol, double Atol, int Outputs, double Step)
{
    public static TimeSpec Default { get; } = new(1.0, IntegratorType.Dp45, 1e-6, 1e-9, 11, 1e-3);

    /// <summary>The implicit integrator's highest BDF order, 1 … 5 (<c>max_order</c>).</summary>
    public int MaxOrder { get; init; } = ImplicitIntegrator.DefaultMaxOrder;

    /// <summary>What the implicit integrator's rtol and atol bound (<c>error</c>).</summary>
    public ErrorControl Error { get; init; } = ErrorControl.PerStep;

    /// <summary>Whether <see cref="MaxOrder"/> and <see cref="Error"/> apply (<c>implicit</c>, or <c>auto</c> when it picks it).</summary>
    public bool HasImplicitSettings => Integrator is IntegratorType.Implicit or IntegratorType.Auto;

    public double OutputTime(int index) => index == Outputs - 1 ? End : End * index / (Outputs - 1);
}
