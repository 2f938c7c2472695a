using System.Diagnostics;
using System.Globalization;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Distributed;

/// <summary>
/// The fast path (<see cref="EwaldEvaluator"/>: near field + smooth PME + constants) on one rank of a distributed run,
/// for the particles this rank holds (<see cref="Ids"/>; the integrator's arrays). Each evaluation:
/// <list type="number">
/// <item>a held particle whose x1 has left this rank's slab is lent to the slab's owner
/// (<see cref="CommunicationPhase.Lending"/>), so every rank evaluates exactly the particles in its slab;</item>
/// <item>near field: the right neighbour sends its particles within r_c of the boundary (the halo); the pairs between
/// this slab and the halo are computed here, once, and the halo's share goes back
/// (<see cref="NearFieldEvaluator.ComputeSlab"/>, <see cref="CommunicationPhase.Halo"/>);</item>
/// <item>the mesh on the slabs (<see cref="SlabParticleMesh"/>);</item>
/// <item>lent particles' velocities go home; the one-body part is added on the held particles' unwrapped
/// positions;</item>
/// <item>the energy (and, for the unregularised kernel, a collision anywhere) is summed over ranks in rank order.</item>
/// </list>
/// The result equals the serial evaluation up to the order of the sums. Every rank must call <see cref="Evaluate"/>
/// together (it communicates), and <see cref="EvaluateKeepingFarField"/> likewise, which skips the mesh within an
/// attempt as <see cref="EwaldEvaluator"/> does: each held particle's mesh gradient from the attempt's newest full
/// evaluation is kept by its holder (lent particles' come back with their near field).
/// </summary>
public sealed class DistributedEwaldEvaluator : IForceEvaluator, IDisposable
{
    private readonly Communicator _communicator;
    private readonly EwaldSplit _split;
    private readonly NearFieldEvaluator? _near;
    private readonly SlabParticleMesh _mesh;
    private readonly double _shortSelf;
    private readonly double _longAtZero;
    private readonly double _halo;
    private readonly int _threads;
    private readonly int _stride; // doubles per particle in a message: id, x1, (x2,) sign
    private readonly Scratch _scratch = new();
    private readonly AttemptScope _attempt;
    private int[] _ids = [];
    private bool _inAttempt; // within BeginAttempt's scope
    private bool _meshKept; // and _keptMesh holds each held particle's mesh gradient of a full evaluation in it
    private double[][] _keptMesh = [];

    /// <param name="totalCount">n over all ranks.</param>
    /// <param name="totalCharge">Σ b over all ranks.</param>
    /// <exception cref="SlabLimitException">More ranks than the system can be cut into.</exception>
    public DistributedEwaldEvaluator(SystemModel model, EwaldParameters parameters, SimdPath simd, int threads,
        Communicator communicator, long totalCount, double totalCharge)
    {
        Model = model;
        Settings = parameters;
        Count = totalCount;
        Charge = totalCharge;
        _communicator = communicator;
        _threads = threads;
        _stride = model.Dimension + 2;
        Path = SimdPaths.Resolve(simd);
        _split = parameters.MeshOnly ? EwaldSplit.MeshOnly(model) : EwaldSplit.Create(model, parameters.Sigma);
        _mesh = new SlabParticleMesh(model.Dimension, parameters.Mesh, parameters.Order, parameters.WithinBand(_split.Multiplier), communicator, threads, Path);
        if (_split.ShortRange is { } shortRange)
        {
            _near = new NearFieldEvaluator(model.Dimension, shortRange.Kind, parameters.Sigma, model.Delta, parameters.Cutoff, Path, threads);
            _shortSelf = _split.SelfIncluded ? _near.Operator.Potential(0, 0, 0) : 0;
            // A hair wider than r_c: a pair within r_c is found however the boundary rounds.
            _halo = parameters.Cutoff * (1 + 1e-9) + 1e-12;
        }
        _longAtZero = _split.SelfIncluded ? 0 : _split.LongAtZero();
        int ranks = communicator.Size;
        int minimum = SlabLayout.RequiredRows(parameters.Mesh, ranks, parameters.Order, _halo, _mesh.Granularity);
        string reason = _near is null
            ? string.Create(CultureInfo.InvariantCulture, $"p − 1 = {parameters.Order - 1} for the B-spline stencil")
            : string.Create(CultureInfo.InvariantCulture, $"{(ranks <= 2 ? "twice " : "")}the near-field cut-off r_c = {parameters.Cutoff:G4}");
        Layout = SlabLayout.Even(parameters.Mesh, ranks, _mesh.Granularity, minimum, reason);
        _mesh.Configure(Layout);
        _attempt = new AttemptScope(this);
    }

    public string Name => "pme";

    public SystemModel Model { get; }

    /// <summary>σ, r_c, M, p: the serial run's, chosen for the total n.</summary>
    public EwaldParameters Settings { get; }

    /// <summary>n over all ranks.</summary>
    public long Count { get; }

    /// <summary>Σ b over all ranks.</summary>
    public double Charge { get; }

    public SimdPath Path { get; }

    /// <summary>The slabs now.</summary>
    public SlabLayout Layout { get; private set; }

    /// <summary>Global indices of the particles this rank holds, in the order of the states it is given.</summary>
    public int[] Ids
    {
        get => _ids;
        set
        {
            _ids = value;
            _meshKept = false;
        }
    }

    /// <summary>Wall time of the stages of this rank's last evaluation.</summary>
    public DistributedTimings LastTimings { get; private set; }

    /// <summary>Pairs within r_c evaluated on this rank in the last evaluation.</summary>
    public long PairsInRange => _near?.PairsInRange ?? 0;

    /// <summary>Particles this rank evaluated last time (its slab's), and how many of them were borrowed.</summary>
    public (int Evaluated, int Borrowed, int Halo) LastCounts { get; private set; }

    public IReadOnlyDictionary<string, object> Parameters =>
        Settings.Describe(
            Name, ("device", "cpu"), ("simd", Path.ToString().ToLowerInvariant()), ("threads", _threads),
            ("ranks", _communicator.Size));

    /// <summary>Moves the slab boundaries (every rank, the same layout).</summary>
    public void SetLayout(SlabLayout layout)
    {
        Layout = layout;
        _mesh.Configure(layout);
    }

    /// <summary>The rank whose slab holds (unwrapped) x1.</summary>
    public int OwnerOf(double x1) => Layout.OwnerOf(Torus.Wrap(x1));

    public double Evaluate(ParticleState state, double[][] velocity, bool withEnergy) => Evaluate(state, velocity, withEnergy, mesh: true);

    /// <summary>
    /// The near field afresh and each held particle's mesh gradient from the attempt's newest full evaluation, where
    /// there is one (and a near field); else a full evaluation. Every rank decides alike (the same calls).
    /// </summary>
    public bool EvaluateKeepingFarField(ParticleState state, double[][] velocity)
    {
        bool keep = _meshKept && _keptMesh[0].Length == state.Count;
        Evaluate(state, velocity, withEnergy: false, mesh: !keep);
        return keep;
    }

    /// <summary>Opens an attempt: mesh gradients are kept from its first full evaluation on.</summary>
    public IDisposable? BeginAttempt()
    {
        _inAttempt = true;
        _meshKept = false;
        return _attempt;
    }

    private sealed class AttemptScope(DistributedEwaldEvaluator owner) : IDisposable
    {
        public void Dispose() => owner._inAttempt = owner._meshKept = false;
    }

    /// <summary>The evaluation, its mesh computed or (<paramref name="mesh"/> false) the kept gradients taken.</summary>
    private double Evaluate(ParticleState state, double[][] velocity, bool withEnergy, bool mesh)
    {
        if (Ids.Length != state.Count)
        {
            throw new InvalidOperationException($"{state.Count} particles but {Ids.Length} ids");
        }
        long t0 = Stopwatch.GetTimestamp();
        var s = _scratch;
        int held = state.Count, d = state.Dimension, me = _communicator.Rank;

        // 1. Which held particles are in this slab, and lend the others to their slabs' owners.
        s.Owners = Grow(s.Owners, held);
        var lent = new List<int>[_communicator.Size];
        int home = 0;
        for (int i = 0; i < held; i++)
        {
            int owner = OwnerOf(state.Positions[0][i]);
            s.Owners[i] = owner;
            if (owner == me)
            {
                home++;
            }
            else
            {
                (lent[owner] ??= []).Add(i);
            }
        }
        double[][] borrowed = [];
        if (_communicator.Size > 1)
        {
            var outgoing = new double[_communicator.Size][];
            for (int q = 0; q < outgoing.Length; q++)
            {
                outgoing[q] = Pack(state, lent[q] ?? [], Ids);
            }
            borrowed = _communicator.AllToAll(CommunicationPhase.Lending, outgoing);
        }
        int evaluated = home + borrowed.Sum(b => b.Length / _stride);

        // The slab's particles: home ones in held order, then the borrowed ones by lender.
        s.Ensure(evaluated, d);
        int e = 0;
        for (int i = 0; i < held; i++)
        {
            if (s.Owners[i] == me)
            {
                s.Id[e] = Ids[i];
                s.X1[e] = Torus.Wrap(state.Positions[0][i]);
                if (d == 2)
                {
                    s.X2[e] = Torus.Wrap(state.Positions[1][i]);
                }
                s.Sign[e++] = state.Signs[i];
            }
        }
        foreach (var message in borrowed)
        {
            e = Unpack(message, s, e, d);
        }
        long t1 = Stopwatch.GetTimestamp();

        // 2. Near field with the right neighbour's halo.
        double shortSum = 0;
        (int First, int Second, double Separation)? collision = null;
        int haloCount = 0;
        var timings = new DistributedTimings { Lending = Stopwatch.GetElapsedTime(t0, t1).TotalSeconds };
        if (_near is not null)
        {
            (shortSum, haloCount, collision) = NearField(evaluated, d, withEnergy, ref timings);
        }
        long t2 = Stopwatch.GetTimestamp();

        // 3. The mesh (or, where kept, none).
        _meshKept &= !mesh; // a full evaluation that throws leaves nothing kept
        double longSum = 0;
        if (mesh)
        {
            longSum = _mesh.Compute(s.X1.AsSpan(0, evaluated), d == 2 ? s.X2.AsSpan(0, evaluated) : [], s.Sign.AsSpan(0, evaluated),
                s.G1.AsSpan(0, evaluated), d == 2 ? s.G2.AsSpan(0, evaluated) : [], withEnergy);
        }
        long t3 = Stopwatch.GetTimestamp();
        timings.Mesh = Stopwatch.GetElapsedTime(t2, t3).TotalSeconds;
        timings.MeshStages = mesh ? _mesh.LastTimings : default;

        // 4. Velocities ẋ = −(g_near + g_long)/n on the holders: home ones from the scratch, borrowed ones' near field
        // (and mesh gradient where computed) sent back.
        bool keep = mesh && _inAttempt && _near is not null;
        if (keep && (_keptMesh.Length != d || _keptMesh[0].Length != held))
        {
            _keptMesh = Enumerable.Range(0, d).Select(_ => new double[held]).ToArray();
        }
        double n = Count;
        void Combine(int i, int a, double near, double meshPart)
        {
            double g = mesh ? meshPart : _keptMesh[a][i];
            velocity[a][i] = -(g + near) / n;
            if (keep)
            {
                _keptMesh[a][i] = g;
            }
        }
        int k = 0;
        for (int i = 0; i < held; i++)
        {
            if (s.Owners[i] == me)
            {
                for (int a = 0; a < d; a++)
                {
                    Combine(i, a, s.Near(a)[k], s.Mesh(a)[k]);
                }
                k++;
            }
        }
        if (_communicator.Size > 1)
        {
            int width = mesh ? 2 * d : d; // per particle: near field, then the mesh's
            var returned = new double[borrowed.Length][];
            for (int q = 0; q < borrowed.Length; q++)
            {
                int count = borrowed[q].Length / _stride;
                var back = returned[q] = new double[count * width];
                for (int j = 0; j < count; j++, k++)
                {
                    for (int a = 0; a < d; a++)
                    {
                        back[j * width + a] = s.Near(a)[k];
                        if (mesh)
                        {
                            back[j * width + d + a] = s.Mesh(a)[k];
                        }
                    }
                }
            }
            var answers = _communicator.AllToAll(CommunicationPhase.Lending, returned);
            for (int q = 0; q < answers.Length; q++)
            {
                var list = lent[q];
                for (int j = 0; list is not null && j < list.Count; j++)
                {
                    for (int a = 0; a < d; a++)
                    {
                        Combine(list[j], a, answers[q][j * width + a], mesh ? answers[q][j * width + d + a] : 0);
                    }
                }
            }
        }
        long t4 = Stopwatch.GetTimestamp();
        timings.Lending += Stopwatch.GetElapsedTime(t3, t4).TotalSeconds;

        // 5. The one-body part on the held particles' own (unwrapped) positions.
        double external = ExternalField.AddVelocity(Model, state, velocity, withEnergy);

        // 6. Energy and collisions over all ranks.
        double energy = double.NaN;
        bool singular = _near?.Operator.IsSingularAtOrigin ?? false;
        if (withEnergy || singular)
        {
            var local = collision is { } c
                ? new double[] { shortSum, longSum, external, 1, c.First, c.Second, c.Separation }
                : [shortSum, longSum, external, 0, 0, 0, 0];
            var all = _communicator.Allgather(CommunicationPhase.Reduction, local);
            double shortTotal = 0, longTotal = 0, externalTotal = 0;
            foreach (var rank in all)
            {
                shortTotal += rank[0];
                longTotal += rank[1];
                externalTotal += rank[2];
            }
            if (all.FirstOrDefault(rank => rank[3] != 0) is { } first)
            {
                throw new CollisionException((int)first[4], (int)first[5], first[6]);
            }
            if (withEnergy)
            {
                energy = EwaldEvaluator.InteractionEnergy(_split, _shortSelf, _longAtZero, shortTotal, longTotal, Charge, Count);
                energy += Model.External.IsZero ? 0 : externalTotal / n;
            }
        }
        _meshKept |= keep;
        timings.Total = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        timings.Reduction = Stopwatch.GetElapsedTime(t4).TotalSeconds;
        LastTimings = timings;
        LastCounts = (evaluated, evaluated - home, haloCount);
        return energy;
    }

    public void Dispose() => _mesh.Dispose();

    /// <summary>
    /// The near field of the slab: the right neighbour's particles within the halo width of its lower boundary join
    /// as the halo, the pairs are computed, the halo's share of the forces goes back to the neighbour and this slab's
    /// particles near its own lower boundary receive theirs from the left neighbour.
    /// </summary>
    private (double Energy, int Halo, (int, int, double)? Collision) NearField(int evaluated, int d, bool withEnergy, ref DistributedTimings timings)
    {
        var s = _scratch;
        int me = _communicator.Rank;
        double origin = Layout.Origin(me), width = Layout.Width(me);
        long t0 = Stopwatch.GetTimestamp();
        // Particles within the halo width above the lower boundary go to the left neighbour.
        var edge = new List<int>();
        for (int i = 0; i < evaluated; i++)
        {
            double u = s.X1[i] - origin;
            u -= Math.Floor(u);
            if (u >= 0.5 * (1 + width))
            {
                u -= 1; // a rounding below the boundary
            }
            if (u < _halo)
            {
                edge.Add(i);
            }
        }
        var send = new double[edge.Count * _stride];
        for (int j = 0; j < edge.Count; j++)
        {
            int i = edge[j];
            send[j * _stride] = s.Id[i];
            send[j * _stride + 1] = s.X1[i];
            if (d == 2)
            {
                send[j * _stride + 2] = s.X2[i];
            }
            send[j * _stride + _stride - 1] = s.Sign[i];
        }
        var halo = _communicator.SendReceive(CommunicationPhase.Halo, send, _communicator.Left, _communicator.Right);
        int haloCount = halo.Length / _stride;
        s.Ensure(evaluated + haloCount, d);
        Unpack(halo, s, evaluated, d);
        int total = evaluated + haloCount;
        long t1 = Stopwatch.GetTimestamp();

        double energy = 0;
        (int, int, double)? collision = null;
        try
        {
            energy = _near!.ComputeSlab(s.X1.AsSpan(0, total), d == 2 ? s.X2.AsSpan(0, total) : [], s.Sign.AsSpan(0, total), evaluated,
                origin, width, s.H1.AsSpan(0, total), d == 2 ? s.H2.AsSpan(0, total) : [], withEnergy);
        }
        catch (CollisionException hit)
        {
            // Reported by every rank after the reduction; the communication of this evaluation goes on.
            int a = s.Id[hit.First], b = s.Id[hit.Second];
            collision = (Math.Min(a, b), Math.Max(a, b), hit.Separation);
        }
        long t2 = Stopwatch.GetTimestamp();

        // The halo's forces back to the right neighbour; this slab's edge particles' forces from the left one.
        var back = new double[haloCount * d];
        for (int j = 0; j < haloCount; j++)
        {
            back[j * d] = s.H1[evaluated + j];
            if (d == 2)
            {
                back[j * d + 1] = s.H2[evaluated + j];
            }
        }
        var forces = _communicator.SendReceive(CommunicationPhase.Halo, back, _communicator.Right, _communicator.Left);
        for (int j = 0; j < edge.Count; j++)
        {
            s.H1[edge[j]] += forces[j * d];
            if (d == 2)
            {
                s.H2[edge[j]] += forces[j * d + 1];
            }
        }
        long t3 = Stopwatch.GetTimestamp();
        timings.Halo = (Stopwatch.GetElapsedTime(t0, t1) + Stopwatch.GetElapsedTime(t2, t3)).TotalSeconds;
        timings.NearField = Stopwatch.GetElapsedTime(t1, t2).TotalSeconds;
        return (withEnergy ? energy : 0, haloCount, collision);
    }

    /// <summary>[id, x1, (x2,) sign] per particle, positions wrapped.</summary>
    private double[] Pack(ParticleState state, List<int> indices, int[] ids)
    {
        var message = new double[indices.Count * _stride];
        for (int j = 0; j < indices.Count; j++)
        {
            int i = indices[j], at = j * _stride;
            message[at] = ids[i];
            message[at + 1] = Torus.Wrap(state.Positions[0][i]);
            if (state.Dimension == 2)
            {
                message[at + 2] = Torus.Wrap(state.Positions[1][i]);
            }
            message[at + _stride - 1] = state.Signs[i];
        }
        return message;
    }

    private int Unpack(double[] message, Scratch s, int at, int d)
    {
        for (int j = 0; j < message.Length; j += _stride, at++)
        {
            s.Id[at] = (int)message[j];
            s.X1[at] = message[j + 1];
            if (d == 2)
            {
                s.X2[at] = message[j + 2];
            }
            s.Sign[at] = (sbyte)message[j + _stride - 1];
        }
        return at;
    }

    private static int[] Grow(int[] array, int length) => array.Length >= length ? array : new int[Math.Max(length, 2 * array.Length)];

    /// <summary>The slab's particles (then the halo) and their forces, kept between evaluations.</summary>
    private sealed class Scratch
    {
        public int[] Owners = [];
        public int[] Id = [];
        public double[] X1 = [], X2 = [], G1 = [], G2 = [], H1 = [], H2 = [];
        public sbyte[] Sign = [];

        public double[] Near(int axis) => axis == 0 ? H1 : H2;

        public double[] Mesh(int axis) => axis == 0 ? G1 : G2;

        public void Ensure(int count, int d)
        {
            if (Id.Length >= count)
            {
                return;
            }
            int length = Math.Max(count, 2 * Id.Length);
            Array.Resize(ref Id, length);
            Array.Resize(ref X1, length);
            Array.Resize(ref Sign, length);
            Array.Resize(ref G1, length);
            Array.Resize(ref H1, length);
            if (d == 2)
            {
                Array.Resize(ref X2, length);
                Array.Resize(ref G2, length);
                Array.Resize(ref H2, length);
            }
        }
    }
}

/// <summary>Seconds in each stage of one distributed evaluation on one rank (communication included in each).</summary>
public struct DistributedTimings
{
    /// <summary>Ownership, lending out and the lent particles' velocities back.</summary>
    public double Lending;

    /// <summary>The halo exchange and the halo forces back.</summary>
    public double Halo;

    /// <summary>The near-field pair loop (binning, pairs, reduction).</summary>
    public double NearField;

    /// <summary>The whole mesh part.</summary>
    public double Mesh;

    /// <summary>The mesh's stages: spread with the overlap rows, the distributed convolution, gather with the potential rows.</summary>
    public HpcGB.Engine.Forces.Pme.PmeTimings MeshStages;

    /// <summary>The external field and the energy/collision reduction.</summary>
    public double Reduction;

    /// <summary>The whole evaluation.</summary>
    public double Total;
}
