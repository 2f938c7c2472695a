using System.Numerics;
using System.Runtime.Intrinsics;
using HpcGB.Engine.Forces.NearField.Simd;

namespace HpcGB.Engine.Tests.NearField;

/// <summary>
/// <see cref="ILanes{TV, TM}.AppendEntries"/>, the packing of a vector of list entries by the pair loop's box test, at
/// every width (the AVX-512 compress on this machine, its software fallback in the AVX2 rerun) against the entries
/// selected one by one.
/// </summary>
public class EntryPackingTests
{
    public static TheoryData<string> Widths => ["scalar", "256", "512"];

    /// <summary>
    /// Every mask of the width, both flags (direct, wrapped): the selected entries OR'ed with the flag, in lane order,
    /// from the given slot on; the count returned is the number selected; the slots before are left alone.
    /// </summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void PacksTheSelectedEntriesInLaneOrder(string width)
    {
        switch (width)
        {
            case "scalar":
                Check<ScalarLanes, double, bool>();
                break;
            case "256":
                Check<Lanes256, Vector256<double>, Vector256<double>>();
                break;
            default:
                Check<Lanes512, Vector512<double>, Vector512<double>>();
                break;
        }
    }

    private static void Check<TL, TV, TM>()
        where TL : struct, ILanes<TV, TM>
        where TV : struct
        where TM : struct
    {
        int lanes = TL.Count;
        var random = new Random(18);
        int[] source = [.. Enumerable.Range(0, 3 * lanes).Select(_ => random.Next(0, int.MaxValue))];
        const int at = 5;
        var selectors = new double[lanes];
        foreach (int flag in new[] { 0, int.MinValue })
        {
            for (ulong bits = 0; bits < 1ul << lanes; bits++)
            {
                for (int lane = 0; lane < lanes; lane++)
                {
                    selectors[lane] = (bits >> lane & 1) != 0 ? 1.0 : 0.0;
                }
                var mask = TL.LessThan(TL.Create(0.0), TL.Load(ref selectors[0], 0));
                var destination = Enumerable.Repeat(-7, at + lanes).ToArray();
                int count = TL.AppendEntries(mask, ref source[0], lanes, flag, ref destination[0], at);

                int[] expected = [.. Enumerable.Range(0, lanes).Where(lane => (bits >> lane & 1) != 0).Select(lane => source[lanes + lane] | flag)];
                Assert.Equal(BitOperations.PopCount(bits), count);
                Assert.Equal(expected, destination.AsSpan(at, count).ToArray());
                Assert.All(destination.AsSpan(0, at).ToArray(), slot => Assert.Equal(-7, slot));
            }
        }
    }
}
