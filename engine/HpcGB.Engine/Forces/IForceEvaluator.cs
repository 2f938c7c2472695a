using HpcGB.Engine.Model;

namespace HpcGB.Engine.Forces;

/// <summary>
/// Computes the particle velocities ẋ_i = −n ∇_{x_i} E_n (glide: x2 component zero) and optionally the
/// energy E_n (docs/model.md §1, the applied-force term included as documented on <see cref="ExternalPotential"/>).
/// Implementations are thread-safe for sequential calls from one thread; parallelism is internal.
/// </summary>
public interface IForceEvaluator
{
    /// <summary>Short name reported in outputs, e.g. "reference".</summary>
    string Name { get; }

    SystemModel Model { get; }

    /// <summary>
    /// Writes ẋ into <paramref name="velocity"/>[axis][i] and returns E_n when <paramref name="withEnergy"/>
    /// is true (NaN otherwise). Throws <see cref="CollisionException"/> for the unregularised kernel when two
    /// particles are closer than <see cref="CollisionException.Distance"/>.
    /// </summary>
    double Evaluate(ParticleState state, double[][] velocity, bool withEnergy);

    /// <summary>
    /// <see cref="Evaluate(ParticleState, double[][], bool)"/> that stops with <see cref="OperationCanceledException"/>
    /// once <paramref name="cancellationToken"/> is cancelled. Evaluators whose single evaluation can take long (the
    /// O(n²) reference, the Fourier sums) check it as they go; the others only before starting.
    /// </summary>
    double Evaluate(ParticleState state, double[][] velocity, bool withEnergy, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Evaluate(state, velocity, withEnergy);
    }

    /// <summary>
    /// ẋ without E_n at an iterate of the current attempt (<see cref="BeginAttempt"/>), where the evaluator may take
    /// the smooth far field (PME's mesh part) from the attempt's newest full evaluation instead of computing it here:
    /// it varies on the Ewald width σ, far more slowly than the near field over a Newton correction. Returns true
    /// where it did (false: a full evaluation, as <see cref="Evaluate(ParticleState, double[][], bool)"/> without
    /// E_n: outside an attempt, before its first full evaluation, or an evaluator that keeps nothing).
    /// </summary>
    bool EvaluateKeepingFarField(ParticleState state, double[][] velocity)
    {
        Evaluate(state, velocity, withEnergy: false);
        return false;
    }

    /// <summary>
    /// Opens a step attempt (a predictor and its Newton iterates, near each other) until the returned scope is
    /// disposed: the evaluator may keep what it builds from the positions at the attempt's first evaluation for the
    /// rest (the near field's pair lists under a skin, the far field of <see cref="EvaluateKeepingFarField"/>). Each
    /// attempt builds afresh, so a run resumed between steps evaluates as the straight run did. Null where nothing is
    /// kept.
    /// </summary>
    IDisposable? BeginAttempt() => null;

    /// <summary>Threads the evaluator keeps idle between its evaluations, which the caller may use for its own serial
    /// passes (the implicit integrator's Newton matrix); null where none.</summary>
    IHelperThreads? HelperThreads => null;

    /// <summary>The method and its chosen parameters, as reported in outputs (JSON-friendly values).</summary>
    IReadOnlyDictionary<string, object> Parameters => new Dictionary<string, object> { ["method"] = Name };
}
