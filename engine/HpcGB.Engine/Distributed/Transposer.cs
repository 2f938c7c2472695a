using System.Numerics;
using System.Runtime.InteropServices;

namespace HpcGB.Engine.Distributed;

/// <summary>
/// The all-to-all transpose of a distributed FFT: an R × C matrix of elements of <see cref="Width"/> doubles (1 real,
/// 2 complex) held by rows (rank q has rows <c>rowStarts[q] … rowStarts[q + 1] − 1</c>, row-major) becomes the same
/// matrix held by columns (rank q has columns <c>columnStarts[q] …</c>, each a contiguous vector over all R rows), and
/// back. One message per pair of other ranks each way (<see cref="CommunicationPhase.Transpose"/>); this rank's own
/// block is transposed in place of a message. Block transposes go tile by tile, so that both sides stay in cache.
/// </summary>
internal sealed class Transposer(Communicator communicator, int width, int[] rowStarts, int[] columnStarts)
{
    /// <summary>Elements per side of a tile: 32 × 32 complex values are 16 KiB, a quarter of a typical L1.</summary>
    private const int Tile = 32;

    private readonly int[] _others = Enumerable.Range(0, communicator.Size).Where(q => q != communicator.Rank).ToArray();

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
        if (width == 2)
        {
            ToColumns(MemoryMarshal.Cast<double, Complex>(rows), MemoryMarshal.Cast<double, Complex>(columns));
        }
        else
        {
            ToColumns<double>(rows, columns);
        }
    }

    /// <summary>The inverse of <see cref="ToColumns"/>: <paramref name="columns"/> (MyColumns × R × width) into
    /// <paramref name="rows"/> (MyRows × C × width).</summary>
    public void ToRows(ReadOnlySpan<double> columns, Span<double> rows)
    {
        if (width == 2)
        {
            ToRows(MemoryMarshal.Cast<double, Complex>(columns), MemoryMarshal.Cast<double, Complex>(rows));
        }
        else
        {
            ToRows<double>(columns, rows);
        }
    }

    /// <summary>Even starts of <paramref name="total"/> items over <paramref name="parts"/> ranks.</summary>
    public static int[] EvenStarts(int total, int parts) =>
        Enumerable.Range(0, parts + 1).Select(q => (int)((long)total * q / parts)).ToArray();

    private void ToColumns<T>(ReadOnlySpan<T> rows, Span<T> columns)
        where T : unmanaged
    {
        int me = communicator.Rank, myRows = MyRows, myColumns = MyColumns, r = Rows, c = Columns;
        // To rank q: my rows, q's columns, row by row ((i, j) at i·cols_q + j).
        var blocks = new double[_others.Length][];
        for (int k = 0; k < _others.Length; k++)
        {
            int q = _others[k], first = columnStarts[q], count = columnStarts[q + 1] - first;
            var block = MemoryMarshal.Cast<double, T>((blocks[k] = new double[myRows * count * width]).AsSpan());
            for (int i = 0; i < myRows; i++)
            {
                rows.Slice(i * c + first, count).CopyTo(block.Slice(i * count));
            }
        }
        Transpose(rows, columnStarts[me], c, columns, rowStarts[me], r, myRows, myColumns);
        var received = communicator.Exchange(CommunicationPhase.Transpose, _others, blocks, _others);
        for (int k = 0; k < _others.Length; k++)
        {
            int q = _others[k];
            Transpose<T>(MemoryMarshal.Cast<double, T>(received[k]), 0, myColumns, columns, rowStarts[q], r,
                rowStarts[q + 1] - rowStarts[q], myColumns);
        }
    }

    private void ToRows<T>(ReadOnlySpan<T> columns, Span<T> rows)
        where T : unmanaged
    {
        int me = communicator.Rank, myRows = MyRows, myColumns = MyColumns, r = Rows, c = Columns;
        // To rank q: q's rows, my columns, as q's ToColumns sent them ((i, j) at i·myColumns + j).
        var blocks = new double[_others.Length][];
        for (int k = 0; k < _others.Length; k++)
        {
            int q = _others[k], firstRow = rowStarts[q], count = rowStarts[q + 1] - firstRow;
            Transpose<T>(columns, firstRow, r, MemoryMarshal.Cast<double, T>((blocks[k] = new double[count * myColumns * width]).AsSpan()), 0, myColumns,
                myColumns, count);
        }
        Transpose(columns, rowStarts[me], r, rows, columnStarts[me], c, myColumns, myRows);
        var received = communicator.Exchange(CommunicationPhase.Transpose, _others, blocks, _others);
        for (int k = 0; k < _others.Length; k++)
        {
            int q = _others[k], first = columnStarts[q], count = columnStarts[q + 1] - first;
            var block = MemoryMarshal.Cast<double, T>(received[k]);
            for (int i = 0; i < myRows; i++)
            {
                block.Slice(i * count, count).CopyTo(rows.Slice(i * c + first));
            }
        }
    }

    /// <summary>target[targetOffset + b·targetStride + a] = source[sourceOffset + a·sourceStride + b] for a &lt;
    /// <paramref name="height"/>, b &lt; <paramref name="length"/>, tile by tile.</summary>
    private static void Transpose<T>(ReadOnlySpan<T> source, int sourceOffset, int sourceStride, Span<T> target, int targetOffset,
        int targetStride, int height, int length)
        where T : unmanaged
    {
        for (int a0 = 0; a0 < height; a0 += Tile)
        {
            int a1 = Math.Min(a0 + Tile, height);
            for (int b0 = 0; b0 < length; b0 += Tile)
            {
                int b1 = Math.Min(b0 + Tile, length);
                for (int a = a0; a < a1; a++)
                {
                    var from = source.Slice(sourceOffset + a * sourceStride);
                    for (int b = b0; b < b1; b++)
                    {
                        target[targetOffset + b * targetStride + a] = from[b];
                    }
                }
            }
        }
    }
}
