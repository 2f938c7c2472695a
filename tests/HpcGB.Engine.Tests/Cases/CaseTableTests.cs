using System.Text.RegularExpressions;
using HpcGB.Engine.Cases;
using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Kernels;
using HpcGB.Tests.Shared;

namespace HpcGB.Engine.Tests.Cases;

/// <summary>
/// The case table is consistent, and what the documentation says about it is true: ARCHITECTURE.md's "How to add a
/// kernel" names exactly the files every case's pieces live in, and docs/numerics.md §0 lists the table's cases
/// with their capabilities.
/// </summary>
public partial class CaseTableTests
{
    private const string EngineRoot = "engine/HpcGB.Engine/";

    [Fact]
    public void EveryCombinationAppearsOnceWithAReasonForEveryMissingCapability()
    {
        Assert.Equal(KernelCases.All.Count, KernelCases.All.Select(c => (c.Dimension, c.Kernel, c.Regularization)).Distinct().Count());
        foreach (var c in KernelCases.All)
        {
            foreach (var capability in new[] { c.FastPath, c.Implicit, c.OpenCl })
            {
                Assert.True(capability.Supported || capability.Reason.Length > 0, $"{c.Name}: a missing capability without a reason");
            }
            Assert.Equal(c.Split is not null, c.FastPath.Supported);
            Assert.Same(c, KernelCases.For(c.Dimension, c.Kernel, c.Regularization));
        }
    }

    [Fact]
    public void HowToAddAKernelNamesFilesThatExist()
    {
        var paths = AddAKernelPaths();
        Assert.NotEmpty(paths);
        foreach (string path in paths)
        {
            Assert.True(Matching(path).Length > 0, $"ARCHITECTURE.md names {path}, which matches no file");
        }
    }

    [Fact]
    public void EveryCasesPiecesLiveInTheFilesHowToAddAKernelNames()
    {
        var listed = AddAKernelPaths().SelectMany(Matching).ToHashSet();
        string FileOf(Type type, string folder) => $"{EngineRoot}{folder}/{type.Name}.cs";
        void AssertListed(string file, string what) =>
            Assert.True(listed.Contains(file), $"{what} lives in {file}, which ARCHITECTURE.md's \"How to add a kernel\" does not name");

        AssertListed(FileOf(typeof(KernelCases), "Cases"), "the table");
        foreach (var c in KernelCases.All)
        {
            const double delta = 0.01;
            AssertListed(FileOf(c.BareCoefficient.Method.DeclaringType!, "Kernels"), $"{c.Name}: the Fourier coefficient");
            AssertListed(FileOf(c.RegularizationFactor.Method.DeclaringType!, "Kernels"), $"{c.Name}: the regularisation factor");
            if (c.ExactKernel?.Invoke(delta) is { } kernel)
            {
                AssertListed(FileOf(kernel.GetType(), "Kernels"), $"{c.Name}: the exact kernel");
            }
            if (c.Split is { } split)
            {
                var op = split.ShortRange.Create(2 * delta, delta, 0.1);
                AssertListed(FileOf(op.GetType(), "Forces/NearField"), $"{c.Name}: the short-range operator");
                AssertListed(FileOf(typeof(HpcGB.Engine.Forces.NearField.ShortRangeKind), "Forces/NearField"), $"{c.Name}: the short-range kind");
                AssertListed(FileOf(split.LongFactor.Method.DeclaringType!, "Forces/Ewald"), $"{c.Name}: the long-range factor");
                AssertListed(FileOf(split.Constant.Method.DeclaringType!, "Forces/Ewald"), $"{c.Name}: the split constant");
            }
            if (c.NewtonCore?.Invoke(delta) is { } core)
            {
                AssertListed(FileOf(core.GetType(), "Kernels"), $"{c.Name}: the Newton core");
            }
        }
    }

    [Fact]
    public void NumericsListsEveryCaseWithItsCapabilities()
    {
        string text = File.ReadAllText(Path.Combine(Repository.Root, "docs", "numerics.md"));
        string section = text[text.IndexOf("## 0. The cases", StringComparison.Ordinal)..text.IndexOf("## 1. ", StringComparison.Ordinal)];
        var rows = TableRow().Matches(section).Select(m => m.Groups.Cast<Group>().Skip(1).Select(g => g.Value.Trim()).ToArray())
            .Where(cells => cells[0] != "case" && !cells[0].StartsWith('-'))
            .ToDictionary(cells => cells[0]);
        Assert.Equal(KernelCases.All.Select(c => c.Name).Order(), rows.Keys.Order());
        foreach (var c in KernelCases.All)
        {
            string[] cells = rows[c.Name];
            Assert.Equal(c.ExactKernel is null ? "Fourier sums" : cells[1], cells[1]);
            Assert.Equal(YesNo(c.FastPath), cells[2]);
            Assert.Equal(YesNo(c.Implicit), cells[3]);
            Assert.Equal(YesNo(c.OpenCl), cells[4]);
        }
    }

    private static string YesNo(Capability capability) => capability.Supported ? "yes" : "no";

    /// <summary>The backticked paths of ARCHITECTURE.md's "How to add a kernel" (relative to the engine project).</summary>
    private static string[] AddAKernelPaths()
    {
        string text = File.ReadAllText(Path.Combine(Repository.Root, "ARCHITECTURE.md"));
        int start = text.IndexOf("## How to add a kernel", StringComparison.Ordinal);
        int end = text.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        string section = text[start..(end < 0 ? text.Length : end)];
        return [.. BacktickedPath().Matches(section).Select(m => m.Groups[1].Value).Where(p => p.EndsWith(".cs", StringComparison.Ordinal)
            && !p.Contains("Tests", StringComparison.Ordinal)).Distinct()];
    }

    /// <summary>Repository paths of the files a listed (engine-relative) path names; a &lt;placeholder&gt; matches anything.</summary>
    private static string[] Matching(string path)
    {
        string root = Repository.Root;
        string directory = Path.Combine(root, EngineRoot, Path.GetDirectoryName(path)!);
        string pattern = Placeholder().Replace(Path.GetFileName(path), "*");
        return Directory.Exists(directory)
            ? [.. Directory.GetFiles(directory, pattern).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))]
            : [];
    }


    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"`([A-Za-z/<>.]+\.cs)`")]
    private static partial Regex BacktickedPath();

    [GeneratedRegex(@"^\| ([^|]+) \| ([^|]+) \| ([^|]+) \| ([^|]+) \| ([^|]+) \|\s*$", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
