using System.Runtime.CompilerServices;

namespace HpcGB.Engine.Forces.NearField.Simd;

/// <summary>The branch-free packing of list entries, for the widths without a compress instruction.</summary>
internal static class EntryPacking
{
    /// <summary>
    /// Stores source[index + k] | flag for k = 0 … lanes − 1, each right after the selected ones before it, at
    /// destination + at (the slot after the last selected entry holds scratch); returns how many of the low
    /// <paramref name="lanes"/> bits are set. Every entry is written and the count advanced by its bit, so that nothing
    /// branches on the data.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Append(ulong bits, int lanes, ref int source, nint index, int flag, ref int destination, nint at)
    {
        int count = 0;
        for (int k = 0; k < lanes; k++)
        {
            Unsafe.Add(ref destination, at + count) = Unsafe.Add(ref source, index + k) | flag;
            count += (int)((bits >> k) & 1);
        }
        return count;
    }
}
