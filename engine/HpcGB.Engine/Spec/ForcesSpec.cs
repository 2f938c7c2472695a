namespace HpcGB.Engine.Spec;

/// <summary>How forces are computed.</summary>
public enum ForceMethod
{
    /// <summary>Let the engine choose (currently always the reference evaluator).</summary>
    Auto,

    /// <summary>The exact O(n²) wall-sum evaluator.</summary>
    Reference,
}

/// <summary>The spec's <c>forces</c> block.</summary>
public sealed record ForcesSpec(ForceMethod Method, double Tolerance)
{
    public static ForcesSpec Default { get; } = new(ForceMethod.Auto, 1e-6);
}
