namespace HpcGB.Engine.Distributed;

/// <summary>
/// The all-to-all transpose of a distributed FFT: an R × C matrix of elements of <see cref="Width"/> doubles (1 real,
/// 2 complex) held by rows (rank q has rows <c>rowStarts[q] … rowStarts[q + 1] − 1</c>, row-major) becomes the same
/// matrix held by columns (rank q has columns <c>columnStarts[q] …</c>, each a contiguous vector over all R rows), and
/// back. One message per pair of ranks each way (<see cref="CommunicationPhase.Transpose"/>).
/// </summary>
internal sealed class Transposer(Communicator communicator, int width, int[] rowStarts, int[] columnStarts)
{
    public int Width => width;

    /// <summary>All rows R.</summary>
    public int Rows => rowStarts[^1];

    /// <summary>All columns C.</summary>
    public int Columns => columnStarts[^1];

    public int MyRows => rowStarts[communicator.Rank + 1] - rowStarts[communicator.Rank];

    public int MyColumns => columnStarts[communicator.Rank + 1] - columnStarts[communicator.Rank];

    /// <summary>First column this rank holds after <see cref="ToColumns"/>.</summary>
    public int FirstColumn => columnStarts[communicator.Rank];

    /// <summary><paramref name="rows"/> (MyRows × C × width) into <paramref name="columns"/> (MyColumns × R × width).</summary>
    public void ToColumns(ReadOnlySpan<double> rows, Span<double> columns)
    {
        int ranks = communicator.Size, myRows = MyRows, c = Columns;
        var blocks = new double[ranks][];
        for (int q = 0; q < ranks; q++)
        {
            // Rows i, columns of q, element by element: (i, j) at (i·cols_q + j)·width.
            int first = columnStarts[q], count = columnStarts[q + 1] - first;
            var block = blocks[q] = new double[myRows * count * width];
            for (int i = 0; i < myRows; i++)
            {
                rows.Slice((i * c + first) * width, count * width).CopyTo(block.AsSpan(i * count * width));
            }
        }
        var received = communicator.AllToAll(CommunicationPhase.Transpose, blocks);
        int myColumns = MyColumns, r = Rows;
        for (int q = 0; q < ranks; q++)
        {
            int firstRow = rowStarts[q], count = rowStarts[q + 1] - firstRow;
            var block = received[q];
            for (int i = 0; i < count; i++)
            {
                for (int j = 0; j < myColumns; j++)
                {
                    int from = (i * myColumns + j) * width, to = (j * r + firstRow + i) * width;
                    for (int e = 0; e < width; e++)
                    {
                        columns[to + e] = block[from + e];
                    }
                }
            }
        }
    }

    /// <summary>The inverse of <see cref="ToColumns"/>: <paramref name="columns"/> (MyColumns × R × width) into
    /// <paramref name="rows"/> (MyRows × C × width).</summary>
    public void ToRows(ReadOnlySpan<double> columns, Span<double> rows)
    {
        int ranks = communicator.Size, myColumns = MyColumns, r = Rows;
        var blocks = new double[ranks][];
        for (int q = 0; q < ranks; q++)
        {
            // Rows of q, my columns: (i, j) at (i·myColumns + j)·width, as q's ToColumns sent them.
            int firstRow = rowStarts[q], count = rowStarts[q + 1] - firstRow;
            var block = blocks[q] = new double[count * myColumns * width];
            for (int i = 0; i < count; i++)
            {
                for (int j = 0; j < myColumns; j++)
                {
                    int to = (i * myColumns + j) * width, from = (j * r + firstRow + i) * width;
                    for (int e = 0; e < width; e++)
                    {
                        block[to + e] = columns[from + e];
                    }
                }
            }
        }
        var received = communicator.AllToAll(CommunicationPhase.Transpose, blocks);
        int myRows = MyRows, c = Columns;
        for (int q = 0; q < ranks; q++)
        {
            int first = columnStarts[q], count = columnStarts[q + 1] - first;
            var block = received[q];
            for (int i = 0; i < myRows; i++)
            {
                block.AsSpan(i * count * width, count * width).CopyTo(rows.Slice((i * c + first) * width));
            }
        }
    }

    /// <summary>Even starts of <paramref name="total"/> items over <paramref name="parts"/> ranks.</summary>
    public static int[] EvenStarts(int total, int parts) =>
        Enumerable.Range(0, parts + 1).Select(q => (int)((long)total * q / parts)).ToArray();
}
