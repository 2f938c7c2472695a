using HpcGB.Engine.Analysis.Transport;
using HpcGB.Engine.Initialization;

namespace HpcGB.Engine.Tests.Analysis.Transport;

public sealed class AssignmentSolverTests
{
    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(4, false)]
    [InlineData(7, false)]
    [InlineData(7, true)] // small integer costs: many ties, many optimal permutations
    public void FindsTheMinimumOverAllPermutations(int n, bool ties)
    {
        for (ulong seed = 1; seed <= 30; seed++)
        {
            var cost = RandomCosts(n, seed, ties);
            int[] match = AssignmentSolver.Solve(cost, n);
            AssertPermutation(match);
            Assert.Equal(BruteForce(cost, n), Total(cost, n, match), 1e-12);
        }
    }

    [Theory]
    [InlineData(150, false)]
    [InlineData(150, true)]
    public void IsUnchangedByRelabellingAndNoSwapImprovesIt(int n, bool ties)
    {
        var random = new SeededRandom(99);
        for (ulong seed = 1; seed <= 3; seed++)
        {
            var cost = RandomCosts(n, seed, ties);
            int[] match = AssignmentSolver.Solve(cost, n);
            AssertPermutation(match);
            double total = Total(cost, n, match);

            // Random restarts: the same problem with rows and columns relabelled has the same optimum.
            for (int restart = 0; restart < 3; restart++)
            {
                int[] rows = Shuffle(n, random), columns = Shuffle(n, random);
                var relabelled = new double[n * n];
                for (int i = 0; i < n; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        relabelled[i * n + j] = cost[rows[i] * n + columns[j]];
                    }
                }
                Assert.Equal(total, Total(relabelled, n, AssignmentSolver.Solve(relabelled, n)), 1e-9);
            }

            // Local optimality: exchanging the partners of any two rows never lowers the total.
            for (int i = 0; i < n; i++)
            {
                for (int k = i + 1; k < n; k++)
                {
                    double change = cost[i * n + match[k]] + cost[k * n + match[i]] - cost[i * n + match[i]] - cost[k * n + match[k]];
                    Assert.True(change >= -1e-12, $"swapping rows {i} and {k} lowers the total by {-change}");
                }
            }
        }
    }

    [Fact]
    public void RejectsAMatrixOfTheWrongSizeAndNonFiniteCosts()
    {
        Assert.Contains("not n² = 4", Assert.Throws<ArgumentException>(() => AssignmentSolver.Solve(new double[3], 2)).Message);
        Assert.Contains("cost[1, 0] is not finite", Assert.Throws<ArgumentException>(
            () => AssignmentSolver.Solve([0, 1, double.PositiveInfinity, 2], 2)).Message);
        Assert.Empty(AssignmentSolver.Solve([], 0));
    }

    private static double[] RandomCosts(int n, ulong seed, bool ties)
    {
        var random = new SeededRandom(seed);
        return Enumerable.Range(0, n * n).Select(_ => ties ? random.NextInt(4) : random.NextDouble(-1, 3)).ToArray();
    }

    private static double Total(double[] cost, int n, int[] match) => Enumerable.Range(0, n).Sum(i => cost[i * n + match[i]]);

    private static double BruteForce(double[] cost, int n)
    {
        var p = Enumerable.Range(0, n).ToArray();
        double best = double.PositiveInfinity;
        do
        {
            best = Math.Min(best, Total(cost, n, p));
        }
        while (TransportFixtures.NextPermutation(p));
        return best;
    }

    private static void AssertPermutation(int[] match) =>
        Assert.Equal(Enumerable.Range(0, match.Length), match.Order());

    private static int[] Shuffle(int n, SeededRandom random)
    {
        var p = Enumerable.Range(0, n).ToArray();
        for (int i = n - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }
}
