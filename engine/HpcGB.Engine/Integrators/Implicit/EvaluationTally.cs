namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>Why <see cref="StageSolver"/> evaluated the forces.</summary>
internal enum EvaluationCause
{
    /// <summary>The stage's starting iterate (the predictor, or the last solution on the first step).</summary>
    Start,

    /// <summary>The last solution, after it had the lower Φ than the predictor.</summary>
    Fallback,

    /// <summary>A Newton step's full trial (α = 1).</summary>
    NewtonTrial,

    /// <summary>A line search's halved trial (α &lt; 1).</summary>
    Halving,

    /// <summary>A Newton step taken after convergence to bring E_n under the bound (<c>Polish</c>).</summary>
    Polish,

    /// <summary>A trial moving the pairs of a saddle towards each other (<c>Escape</c>).</summary>
    Escape,

    /// <summary>A trial moving creeping pairs that the flow captures within the step into their cores (<c>EscapeCaptured</c>).</summary>
    EarlyEscape,

    /// <summary>An iterate evaluated without E_n again, with it: a solution, or the start of a line search on Φ.</summary>
    Energy,

    /// <summary>The iterate with newly held pairs placed at their two-body flow's separation (<see cref="NewtonMatrix.FoldStep"/>).</summary>
    Hold,
}

/// <summary>
/// Force evaluations of the implicit integrator by cause, those that collided, and rejected attempts by reason:
/// where a step's evaluations go (bench <c>implicit</c> prints it).
/// </summary>
internal sealed class EvaluationTally
{
    private readonly long[] _byCause = new long[Enum.GetValues<EvaluationCause>().Length];

    public long this[EvaluationCause cause] => _byCause[(int)cause];

    /// <summary>Evaluations that asked for E_n.</summary>
    public long WithEnergy { get; private set; }

    /// <summary>Evaluations that took the far field from an earlier one of the attempt (<c>EvaluateKeepingFarField</c>).</summary>
    public long FarFieldKept { get; private set; }

    /// <summary>Trials that ended in a collision (regularisation <c>none</c>).</summary>
    public long Collided { get; private set; }

    /// <summary>Rejected attempts by reason, with the evaluations they took.</summary>
    public Dictionary<string, (long Attempts, long Evaluations)> Rejections { get; } = [];

    /// <summary>Saddle escapes that found a lower Φ, and those that did not.</summary>
    public (long Taken, long Failed) Escapes { get; private set; }

    /// <summary>Pairs past their fold moved into their cores by a Newton step (<see cref="NewtonMatrix.FoldStep"/>).</summary>
    public long FoldEscapes { get; set; }

    /// <summary>Pairs past their fold held at their two-body flow's separation for the rest of a stage (<see cref="NewtonMatrix.FoldStep"/>).</summary>
    public long FoldHolds { get; set; }

    public void Escaped(bool taken) => Escapes = taken ? (Escapes.Taken + 1, Escapes.Failed) : (Escapes.Taken, Escapes.Failed + 1);

    public void Count(EvaluationCause cause, bool withEnergy, bool collided, bool farFieldKept = false)
    {
        _byCause[(int)cause]++;
        FarFieldKept += farFieldKept ? 1 : 0;
        WithEnergy += withEnergy ? 1 : 0;
        Collided += collided ? 1 : 0;
    }

    public void Reject(string reason, long evaluations)
    {
        var (attempts, spent) = Rejections.GetValueOrDefault(reason);
        Rejections[reason] = (attempts + 1, spent + evaluations);
    }

    public override string ToString() =>
        string.Join(", ", Enum.GetValues<EvaluationCause>().Select(c => $"{c} {this[c]}"))
        + $"; with energy {WithEnergy}, far field kept {FarFieldKept}, collided {Collided}; escapes taken {Escapes.Taken}, failed {Escapes.Failed}, at the fold {FoldEscapes}, held {FoldHolds}; rejected: "
        + string.Join(", ", Rejections.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Value.Attempts} ({r.Value.Evaluations} evaluations)"));
}
