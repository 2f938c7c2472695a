using HpcGB.Interop.Mpi;

namespace HpcGB.Engine.Distributed;

/// <summary>
/// The ranks of an MPI job (MPI.NET over MPICH, <see cref="MpiSession"/>): every collective of
/// <see cref="Communicator"/> travels as nonblocking point-to-point messages that are waited for without spinning a
/// core (<see cref="MpiSession.Exchange"/>). Owns the session: disposing it finalises MPI.
/// </summary>
public sealed class MpiCommunicator : Communicator
{
    /// <summary>The one tag of a distributed run's messages (calls are sequential, and MPI keeps order per pair).</summary>
    private const int Tag = 1700;

    private readonly MpiSession _session;
    private readonly int[] _others;

    private MpiCommunicator(MpiSession session)
    {
        _session = session;
        _others = Enumerable.Range(0, session.Size).Where(r => r != session.Rank).ToArray();
    }

    /// <summary>Starts MPI (<see cref="MpiSession.Start"/>); call from the thread that will communicate.</summary>
    /// <exception cref="MpiUnavailableException">MPICH is missing or does not start.</exception>
    public static MpiCommunicator Start() => new(MpiSession.Start());

    public override int Rank => _session.Rank;

    public override int Size => _session.Size;

    /// <summary>Ends every rank of the job (<c>MPI_Abort</c>): a rank that failed alone would leave the others
    /// waiting for it forever.</summary>
    public void Abort(int exitCode) => _session.Abort(exitCode);

    protected override double[][] ExchangeCore(IReadOnlyList<int> destinations, IReadOnlyList<double[]> data, IReadOnlyList<int> sources) =>
        _session.Exchange(destinations, data, sources, Tag);

    protected override void BarrierCore() => _session.Exchange(_others, _others.Select(_ => Array.Empty<double>()).ToArray(), _others, Tag);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _session.Dispose();
        }
    }
}
