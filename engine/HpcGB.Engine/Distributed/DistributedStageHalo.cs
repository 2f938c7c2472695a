using System.Runtime.InteropServices;
using HpcGB.Engine.Integrators.Implicit;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Distributed;

/// <summary>
/// The implicit integrator's view across ranks (<see cref="IStageHalo"/>): at every assembly of the Newton matrix
/// each rank receives copies (ghosts) of the other ranks' held particles within the pair radius of its own, found by
/// bins along x1 at least one radius wide (each rank's runs of occupied bins are all-gathered; a particle goes to
/// every rank with a particle in its bin or a neighbouring one). A pair across ranks is then in both ranks' matrices, each
/// applying it to its own particle, so a product with the matrix needs only the ghosts' values from their holders
/// (<see cref="Refresh{T}"/>: one neighbour exchange of the ghosts' entries), never a reverse sum. Held particles
/// may be anywhere between outputs (they have not been re-homed yet); the bins find their neighbours wherever they
/// are.
/// </summary>
internal sealed class DistributedStageHalo(DistributedSystem system) : IStageHalo
{
    private readonly Communicator _communicator = system.Communicator;
    private int[][] _send = []; // per rank: the local indices of the held particles it holds as ghosts
    private int[][] _receive = []; // per rank: the local indices of the ghosts it holds for this rank
    private int[] _destinations = [], _sources = [];

    public long Total => system.Count;

    /// <summary>Products of the conjugate gradient (<see cref="IStageHalo.ProductDone"/>) so far.</summary>
    public long Products { get; private set; }

    public void ProductDone() => Products++;

    public bool Distributed => _communicator.Size > 1;

    public StageExtension Extend(ParticleState held, double radius)
    {
        int ranks = _communicator.Size, me = _communicator.Rank, d = held.Dimension, count = held.Count;
        int[] ids = system.Ids;
        if (ids.Length != count)
        {
            throw new InvalidOperationException($"{count} held particles but {ids.Length} ids");
        }
        if (ranks == 1)
        {
            var identity = Enumerable.Range(0, count).ToArray();
            _send = [[]];
            _receive = [[]];
            return new StageExtension(held, ids, identity, identity);
        }

        // Bins along x1 at least a radius wide: a pair closer than the radius lies in one bin or two neighbouring ones.
        // Each rank tells the others the runs of bins its particles occupy (one or two runs: they stay near its slab).
        int bins = Math.Max(1, (int)Math.Floor(1.0 / radius));
        var bin = new int[count];
        var occupied = new bool[bins];
        for (int i = 0; i < count; i++)
        {
            bin[i] = Math.Min(bins - 1, (int)(Torus.Wrap(held.Positions[0][i]) * bins));
            occupied[bin[i]] = true;
        }
        var runs = _communicator.Allgather(CommunicationPhase.Newton, Runs(occupied));
        int stride = 2 + d;
        var outgoing = new List<double>[ranks];
        var sent = new List<int>[ranks];
        for (int i = 0; i < count; i++)
        {
            for (int q = 0; q < ranks; q++)
            {
                if (q == me || !Near(runs[q], bin[i], bins))
                {
                    continue;
                }
                var message = outgoing[q] ??= [];
                message.Add(ids[i]);
                message.Add(held.Signs[i]);
                for (int a = 0; a < d; a++)
                {
                    message.Add(held.Positions[a][i]);
                }
                (sent[q] ??= []).Add(i);
            }
        }
        var arrived = _communicator.AllToAll(CommunicationPhase.Newton, outgoing.Select(m => m?.ToArray() ?? []).ToArray());

        // Held particles and ghosts in ascending id (ghost ids never repeat: each particle has one holder).
        int ghosts = arrived.Sum(m => m.Length / stride), total = count + ghosts;
        var records = new (int Id, int Source, int Index)[total];
        for (int i = 0; i < count; i++)
        {
            records[i] = (ids[i], -1, i);
        }
        int r = count;
        for (int q = 0; q < ranks; q++)
        {
            for (int j = 0; j < arrived[q].Length / stride; j++)
            {
                records[r++] = ((int)arrived[q][j * stride], q, j);
            }
        }
        Array.Sort(records, (a, b) => a.Id.CompareTo(b.Id));
        var localIds = new int[total];
        var heldIndex = new int[total];
        var localOfHeld = new int[count];
        var signs = new sbyte[total];
        var positions = Enumerable.Range(0, d).Select(_ => new double[total]).ToArray();
        _receive = Enumerable.Range(0, ranks).Select(q => new int[arrived[q].Length / stride]).ToArray();
        for (int k = 0; k < total; k++)
        {
            var (id, source, index) = records[k];
            localIds[k] = id;
            if (source < 0)
            {
                heldIndex[k] = index;
                localOfHeld[index] = k;
                signs[k] = held.Signs[index];
                for (int a = 0; a < d; a++)
                {
                    positions[a][k] = held.Positions[a][index];
                }
                continue;
            }
            heldIndex[k] = -1;
            _receive[source][index] = k;
            int at = index * stride;
            signs[k] = (sbyte)arrived[source][at + 1];
            for (int a = 0; a < d; a++)
            {
                positions[a][k] = arrived[source][at + 2 + a];
            }
        }
        _send = Enumerable.Range(0, ranks).Select(q => sent[q]?.Select(i => localOfHeld[i]).ToArray() ?? []).ToArray();
        _destinations = Enumerable.Range(0, ranks).Where(q => _send[q].Length > 0).ToArray();
        _sources = Enumerable.Range(0, ranks).Where(q => _receive[q].Length > 0).ToArray();
        return new StageExtension(new ParticleState(positions, signs), localIds, heldIndex, localOfHeld);
    }

    public void Refresh<T>(T[] values, bool product = false) where T : unmanaged
    {
        if (_communicator.Size == 1)
        {
            return;
        }
        int size = Marshal.SizeOf<T>();
        var data = new double[_destinations.Length][];
        for (int k = 0; k < _destinations.Length; k++)
        {
            var indices = _send[_destinations[k]];
            var buffer = data[k] = new double[(indices.Length * size + 7) / 8];
            var bytes = MemoryMarshal.AsBytes(buffer.AsSpan());
            for (int j = 0; j < indices.Length; j++)
            {
                MemoryMarshal.Write(bytes[(j * size)..], in values[indices[j]]);
            }
        }
        var received = _communicator.Exchange(
            product ? CommunicationPhase.ConjugateGradient : CommunicationPhase.Newton, _destinations, data, _sources);
        for (int k = 0; k < _sources.Length; k++)
        {
            var indices = _receive[_sources[k]];
            var bytes = MemoryMarshal.AsBytes(received[k].AsSpan());
            for (int j = 0; j < indices.Length; j++)
            {
                values[indices[j]] = MemoryMarshal.Read<T>(bytes[(j * size)..]);
            }
        }
    }

    public double Sum(double local) => _communicator.Sum(local);

    public double Max(double local) => _communicator.Max(local)[0];

    public double[] Gather(double[] local) => [.. _communicator.Allgather(CommunicationPhase.Reduction, local).SelectMany(part => part)];

    /// <summary>The runs of occupied bins as [first, last] pairs (not wrapped around: a run through bin 0 is two).</summary>
    private static double[] Runs(bool[] occupied)
    {
        var runs = new List<double>();
        for (int b = 0; b < occupied.Length; b++)
        {
            if (occupied[b] && (b == 0 || !occupied[b - 1]))
            {
                int last = b;
                while (last + 1 < occupied.Length && occupied[last + 1])
                {
                    last++;
                }
                runs.Add(b);
                runs.Add(last);
            }
        }
        return [.. runs];
    }

    /// <summary>Whether <paramref name="runs"/> (<see cref="Runs"/>) hold bin b or a neighbouring one (periodically).</summary>
    private static bool Near(double[] runs, int b, int bins)
    {
        if (runs.Length == 0)
        {
            return false;
        }
        if (bins < 3)
        {
            return true;
        }
        for (int k = 0; k < runs.Length; k += 2)
        {
            for (int o = -1; o <= 1; o++)
            {
                int c = (b + o + bins) % bins;
                if (c >= runs[k] && c <= runs[k + 1])
                {
                    return true;
                }
            }
        }
        return false;
    }
}
