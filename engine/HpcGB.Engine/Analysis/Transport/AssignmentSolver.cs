namespace HpcGB.Engine.Analysis.Transport;

/// <summary>
/// Exact linear assignment: the permutation σ minimising Σ_i C[i, σ(i)] for a dense square cost matrix, by the
/// Jonker–Volgenant shortest augmenting path method in the form of Crouse (2016, IEEE TAES 52(4), the algorithm
/// behind SciPy's <c>linear_sum_assignment</c>): one Dijkstra search on reduced costs per row, dual variables u, v
/// kept feasible (C[i, j] − u_i − v_j ≥ 0, equality on the assignment), so the result is optimal, not a heuristic.
/// O(n³) time in the worst case, O(n²) memory for the matrix.
/// </summary>
public static class AssignmentSolver
{
    /// <summary>The optimal column for each row of the row-major n × n matrix <paramref name="cost"/>.</summary>
    /// <exception cref="ArgumentException">The matrix is not n × n, or an entry is not finite.</exception>
    public static int[] Solve(ReadOnlySpan<double> cost, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (cost.Length != (long)n * n)
        {
            throw new ArgumentException($"the cost matrix has {cost.Length} entries, not n² = {(long)n * n}", nameof(cost));
        }
        for (int k = 0; k < cost.Length; k++)
        {
            if (!double.IsFinite(cost[k]))
            {
                throw new ArgumentException($"cost[{k / n}, {k % n}] is not finite ({cost[k]})", nameof(cost));
            }
        }

        var u = new double[n];
        var v = new double[n];
        var shortest = new double[n];
        var path = new int[n];
        var columnOfRow = new int[n];
        var rowOfColumn = new int[n];
        var remaining = new int[n];
        var visitedRows = new int[n];
        var visitedColumns = new int[n];
        Array.Fill(columnOfRow, -1);
        Array.Fill(rowOfColumn, -1);

        for (int current = 0; current < n; current++)
        {
            // Dijkstra from row `current` over reduced costs until a free column (the sink) is reached.
            Array.Fill(shortest, double.PositiveInfinity);
            int remainingCount = n;
            for (int j = 0; j < n; j++)
            {
                remaining[j] = n - 1 - j;
            }
            int rowCount = 0, columnCount = 0;
            double minimum = 0;
            int sink = -1;
            int i = current;
            while (sink < 0)
            {
                visitedRows[rowCount++] = i;
                int best = -1;
                double lowest = double.PositiveInfinity;
                var row = cost.Slice(i * n, n);
                double ui = u[i];
                for (int r = 0; r < remainingCount; r++)
                {
                    int j = remaining[r];
                    double reduced = minimum + row[j] - ui - v[j];
                    if (reduced < shortest[j])
                    {
                        path[j] = i;
                        shortest[j] = reduced;
                    }
                    // Ties go to a free column: the path ends sooner.
                    if (shortest[j] < lowest || (shortest[j] == lowest && rowOfColumn[j] < 0))
                    {
                        lowest = shortest[j];
                        best = r;
                    }
                }
                minimum = lowest;
                int column = remaining[best];
                visitedColumns[columnCount++] = column;
                remaining[best] = remaining[--remainingCount];
                if (rowOfColumn[column] < 0)
                {
                    sink = column;
                }
                else
                {
                    i = rowOfColumn[column];
                }
            }

            // Dual update keeps every reduced cost non-negative and the tree edges tight.
            u[current] += minimum;
            for (int k = 0; k < rowCount; k++)
            {
                int row = visitedRows[k];
                if (row != current)
                {
                    u[row] += minimum - shortest[columnOfRow[row]];
                }
            }
            for (int k = 0; k < columnCount; k++)
            {
                int column = visitedColumns[k];
                v[column] -= minimum - shortest[column];
            }

            // Augment along the path back to `current`.
            for (int j = sink; ;)
            {
                int row = path[j];
                rowOfColumn[j] = row;
                (columnOfRow[row], j) = (j, columnOfRow[row]);
                if (row == current)
                {
                    break;
                }
            }
        }
        return columnOfRow;
    }
}
