namespace HpcGB.Engine.Forces;

/// <summary>
/// Threads a force evaluator keeps idle between its evaluations (the Ewald evaluator's helper spins a little after
/// each: <see cref="Ewald.EwaldEvaluator"/>), lent to its caller's serial passes: no pool thread is woken for them.
/// </summary>
public interface IHelperThreads
{
    /// <summary>
    /// Runs parts 0 … <paramref name="parts"/> − 1 of <paramref name="work"/> on the calling thread and on whichever
    /// helper is idle now, and returns when all are done (the caller alone when none is and <paramref name="wake"/> is
    /// false; with it, a parked helper is started and joins when it comes: worth it for long parts only). Which thread
    /// runs a part must not change the results: each part writes its own output.
    /// </summary>
    void Run(IParts work, int parts, bool wake);
}

/// <summary>Work cut into parts that run at once (<see cref="IHelperThreads"/>).</summary>
public interface IParts
{
    void Run(int part);
}
