namespace HpcGB.Host.Sweeps;

/// <summary>
/// A family of independent runs that <see cref="SweepExecution"/> executes serially or across MPI ranks: a
/// parameter sweep (<see cref="SpecSweepWork"/>) or an experiment. Every rank builds the same work from the same
/// inputs; only rank 0 calls <see cref="Completed"/>, <see cref="Record"/> and <see cref="Publish"/>.
/// Results travel as bytes so that they can cross ranks.
/// </summary>
internal interface ISweepWork
{
    /// <summary>How many runs.</summary>
    int Count { get; }

    /// <summary>Expected cost of run <paramref name="index"/> (any unit): the largest are handed out first.</summary>
    double Cost(int index);

    /// <summary>The result of a run that finished earlier and whose outputs verify, or null when it must run.</summary>
    byte[]? Completed(int index);

    /// <summary>Runs it, writing its outputs; failures of the run itself are part of the result, not exceptions.</summary>
    byte[] Execute(int index, CancellationToken cancellationToken);

    /// <summary>A result for a run whose execution threw (so that the table still gets its row).</summary>
    byte[] Failure(int index, string message);

    /// <summary>Takes in a result; returns whether that run succeeded.</summary>
    bool Record(int index, byte[] result);

    /// <summary>Writes the tables from the results recorded so far (after each result, so that a job that is killed
    /// leaves a table of what finished); <paramref name="timing"/> is set on the last call.</summary>
    void Publish(SweepTiming? timing);
}

/// <summary>Where a sweep's wall time went, for the tables' footer and the report.</summary>
/// <param name="Ranks">MPI ranks (1 serially); each works on one run at a time.</param>
/// <param name="WallSeconds">From the start of scheduling to the last result recorded.</param>
/// <param name="RunSeconds">Summed wall time of the runs executed now (skipped ones excluded).</param>
/// <param name="CoordinationSeconds">Rank 0's time spent scheduling and gathering: handing out runs, receiving,
/// recording results and writing the tables (its waits excluded).</param>
/// <param name="Executed">Runs executed now.</param>
/// <param name="Skipped">Runs found complete from an earlier invocation.</param>
internal sealed record SweepTiming(int Ranks, double WallSeconds, double RunSeconds, double CoordinationSeconds, int Executed, int Skipped);
