using HpcGB.Engine.Model;

namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>
/// What a <see cref="NewtonMatrix"/> sees beyond the particles it solves for. Serially (<see cref="LocalHalo"/>)
/// nothing: the held particles are the system. Across ranks (HpcGB.Engine.Distributed) a rank holds some of the
/// particles; <see cref="Extend"/> adds copies (ghosts) of the other ranks' particles within the pair radius, so
/// that every pair of a held particle is in the matrix, <see cref="Refresh{T}"/> overwrites the ghosts' entries of
/// a per-particle array with their holders' values (the halo exchange of the conjugate gradient), and
/// <see cref="Sum"/> and <see cref="Max"/> reduce over ranks in rank order, so that every rank takes the same
/// decisions.
/// </summary>
internal interface IStageHalo
{
    /// <summary>Particles over all ranks (n of the model).</summary>
    long Total { get; }

    /// <summary>Whether any rank may hold ghosts (false: <see cref="Refresh{T}"/> does nothing).</summary>
    bool Distributed { get; }

    /// <summary>The held particles <paramref name="held"/> and the ghosts within <paramref name="radius"/> of them.</summary>
    StageExtension Extend(ParticleState held, double radius);

    /// <summary>
    /// Every ghost's entry of <paramref name="values"/> (indexed as the last <see cref="Extend"/>) from its holder;
    /// <paramref name="product"/>: for a product of the conjugate gradient (counted apart from the assembly's).
    /// Every rank calls it at the same point.
    /// </summary>
    void Refresh<T>(T[] values, bool product = false) where T : unmanaged;

    /// <summary>Counts one product of the conjugate gradient with the matrix (for the traffic per product).</summary>
    void ProductDone();

    /// <summary>Σ over ranks, in rank order.</summary>
    double Sum(double local);

    /// <summary>The maximum over ranks.</summary>
    double Max(double local);

    /// <summary>Every rank's <paramref name="local"/> one after the other, in rank order.</summary>
    double[] Gather(double[] local);
}

/// <summary>
/// The held particles and their ghosts, in ascending global id (so that "i &lt; j" means the same on every rank):
/// <see cref="Local"/> their positions and signs, <see cref="Ids"/> their global ids, <see cref="HeldIndex"/> the
/// held index of each (−1 for a ghost), <see cref="LocalOfHeld"/> the local index of each held particle.
/// </summary>
internal sealed record StageExtension(ParticleState Local, int[] Ids, int[] HeldIndex, int[] LocalOfHeld)
{
    public bool HasGhosts => Local.Count > LocalOfHeld.Length;
}

/// <summary>One rank, no ghosts: the held particles are the system, ids are indices, sums are the values.</summary>
internal sealed class LocalHalo(int count) : IStageHalo
{
    private int[] _identity = [];
    private StageExtension? _extension; // the last one, reused for the same state

    public long Total => count;

    public bool Distributed => false;

    public StageExtension Extend(ParticleState held, double radius)
    {
        if (_identity.Length != held.Count)
        {
            _identity = Enumerable.Range(0, held.Count).ToArray();
        }
        if (_extension is null || !ReferenceEquals(_extension.Local, held) || !ReferenceEquals(_extension.Ids, _identity))
        {
            _extension = new StageExtension(held, _identity, _identity, _identity);
        }
        return _extension;
    }

    public void Refresh<T>(T[] values, bool product = false) where T : unmanaged
    {
    }

    public void ProductDone()
    {
    }

    public double Sum(double local) => local;

    public double Max(double local) => local;

    public double[] Gather(double[] local) => local;
}
