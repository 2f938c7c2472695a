using HpcGB.Engine.Distributed;

namespace HpcGB.Engine.Tests.Distributed;

/// <summary>The collectives built on <see cref="Communicator.Exchange"/>, and its byte counters.</summary>
public class CommunicatorTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Collectives_deliver_every_rank_its_messages(int ranks)
    {
        var results = InProcessRanks.Run(ranks, c =>
        {
            // Rank r sends rank q an array of q + 1 copies of 10r + q.
            var data = Enumerable.Range(0, c.Size).Select(q => Enumerable.Repeat(10.0 * c.Rank + q, q + 1).ToArray()).ToArray();
            var received = c.AllToAll(CommunicationPhase.Transpose, data);
            for (int q = 0; q < c.Size; q++)
            {
                Assert.Equal(Enumerable.Repeat(10.0 * q + c.Rank, c.Rank + 1), received[q]);
            }
            var ring = c.SendReceive(CommunicationPhase.Halo, [c.Rank], c.Right, c.Left);
            Assert.Equal([c.Left], ring);
            var gathered = c.Allgather(CommunicationPhase.Reduction, Enumerable.Repeat(1.0, c.Rank).ToArray());
            Assert.Equal(Enumerable.Range(0, c.Size), gathered.Select(g => g.Length));
            return (c.Sum(c.Rank, 1), c.Max(c.Rank)[0], c.Counters[CommunicationPhase.Transpose].BytesSent);
        });
        foreach (var (sum, max, bytes) in results.Select(r => r))
        {
            Assert.Equal([ranks * (ranks - 1) / 2.0, ranks], sum);
            Assert.Equal(ranks - 1, max);
        }
        // Rank r sends q + 1 doubles to each other rank q: the counters leave out its message to itself.
        for (int r = 0; r < ranks; r++)
        {
            long expected = Enumerable.Range(0, ranks).Where(q => q != r).Sum(q => (q + 1) * 8L);
            Assert.Equal(expected, results[r].Item3);
        }
    }

    [Fact]
    public void Sums_are_the_same_bits_on_every_rank()
    {
        // Values whose sum depends on the order of the additions.
        double[] values = [1e16, 1.0, -1e16, 1.0, 3.3, 1e-7];
        var sums = InProcessRanks.Run(values.Length, c => c.Sum(values[c.Rank]));
        Assert.All(sums, s => Assert.Equal(BitConverter.DoubleToInt64Bits(sums[0]), BitConverter.DoubleToInt64Bits(s)));
    }
}
