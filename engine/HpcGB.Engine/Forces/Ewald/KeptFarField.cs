namespace HpcGB.Engine.Forces.Ewald;

/// <summary>
/// When a PME evaluator may take the mesh's gradients from an earlier evaluation
/// (<see cref="IForceEvaluator.EvaluateKeepingFarField"/>): only within a step attempt (<see cref="Begin"/> until the
/// scope is disposed), from its first full evaluation on, and never after a full evaluation that threw (its mesh may
/// be half written). The evaluator holds the gradients; this decides whether they are valid.
/// </summary>
internal sealed class KeptFarField : IDisposable
{
    private IDisposable? _inner;
    private bool _inAttempt;

    /// <summary>Whether the gradients of a full evaluation of the current attempt are held.</summary>
    public bool Available { get; private set; }

    /// <summary>Opens an attempt, nothing kept yet; <paramref name="inner"/> (what else the attempt keeps, e.g. the near
    /// field's pair lists) is disposed with it.</summary>
    public IDisposable Begin(IDisposable? inner)
    {
        _inner = inner;
        _inAttempt = true;
        Available = false;
        return this;
    }

    /// <summary>Before an evaluation: one that computes the mesh overwrites the held gradients.</summary>
    public void Starting(bool mesh) => Available &= !mesh;

    /// <summary>Whether an evaluation that computes the mesh (<paramref name="mesh"/>) should keep its gradients: within an
    /// attempt, and where there is a near field to compute afresh.</summary>
    public bool Keeps(bool mesh, bool nearField) => mesh && _inAttempt && nearField;

    /// <summary>After an evaluation that did not throw; <paramref name="kept"/> from <see cref="Keeps"/>.</summary>
    public void Finished(bool kept) => Available |= kept;

    /// <summary>The held gradients no longer belong to the particles (a distributed rank's particles changed).</summary>
    public void Forget() => Available = false;

    public void Dispose()
    {
        _inAttempt = Available = false;
        _inner?.Dispose();
        _inner = null;
    }
}
