using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HpcGB.Engine.Spec;

namespace HpcGB.Host.Sweeps;

/// <summary>
/// Reads a sweep file: <c>{ "base": {spec}, "vary": { "dotted.path": [values…], … }, "zip": false,
/// "delta_rule": { "c": …, "beta": … } }</c>. JSON-level problems throw <see cref="SpecException"/> with the
/// sweep file's path (<c>$.vary["particles.n"]</c>); the generated specs are validated by <see cref="SweepPlan"/>.
/// </summary>
internal static class SweepReader
{
    /// <summary>The most runs one sweep may generate.</summary>
    public const int MaxRuns = 1_000_000;

    private static readonly JsonDocumentOptions Options = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 64,
        AllowDuplicateProperties = false,
    };

    public static SweepFile ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new SpecException("$", $"sweep file not found: {path}");
        }
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(File.ReadAllBytes(path)).TrimStart('\uFEFF');
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            throw new SpecException("$", $"cannot read sweep file '{path}': {exception.Message}");
        }
        return Parse(text);
    }

    public static SweepFile Parse(string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: Options);
        }
        catch (JsonException exception)
        {
            throw new SpecException("$", $"malformed JSON: {exception.Message}");
        }
        if (root is not JsonObject top)
        {
            throw new SpecException("$", "a sweep file is a JSON object with \"base\" and \"vary\"");
        }
        foreach (var (key, _) in top)
        {
            if (key is not ("base" or "vary" or "zip" or "delta_rule"))
            {
                throw new SpecException($"$.{key}", "unknown key (expected base, vary, zip, delta_rule)");
            }
        }
        if (top["base"] is not JsonObject baseSpec)
        {
            throw new SpecException("$.base", top.ContainsKey("base") ? "must be a JSON object (a spec)" : "required: the spec every run starts from");
        }
        if (top["vary"] is not JsonObject vary)
        {
            throw new SpecException("$.vary", top.ContainsKey("vary")
                ? "must be a JSON object of \"dotted.path\": [values]"
                : "required: { \"dotted.path\": [values], … }");
        }
        var axes = new List<SweepAxis>();
        foreach (var (key, value) in vary)
        {
            var axis = new SweepAxis(key, []);
            ValidatePath(key, axis.FilePath);
            if (value is not JsonArray values || values.Count == 0)
            {
                throw new SpecException(axis.FilePath, "must be a non-empty array of values");
            }
            axes.Add(axis with { Values = values.Select(v => v?.DeepClone()).ToArray() });
        }
        bool zip = false;
        if (top["zip"] is { } zipNode)
        {
            if (zipNode.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw new SpecException("$.zip", "must be true or false");
            }
            zip = zipNode.GetValue<bool>();
        }
        var rule = top.ContainsKey("delta_rule") ? ReadDeltaRule(top["delta_rule"]) : null;
        if (rule is not null && axes.Any(a => a.Path == "regularization.delta"))
        {
            throw new SpecException("$.delta_rule", "sets regularization.delta, which $.vary[\"regularization.delta\"] varies too: use one");
        }
        CheckCount(axes, zip);
        return new SweepFile((JsonObject)baseSpec.DeepClone(), axes, zip, rule);
    }

    private static void ValidatePath(string path, string filePath)
    {
        string[] segments = path.Split('.');
        if (segments.Any(s => s.Length == 0))
        {
            throw new SpecException(filePath, "must be a dotted path into the spec, e.g. \"particles.n\"");
        }
        if (int.TryParse(segments[0], out _))
        {
            throw new SpecException(filePath, "must start with a spec key, not an array index");
        }
    }

    private static DeltaRule ReadDeltaRule(JsonNode? node)
    {
        if (node is not JsonObject rule)
        {
            throw new SpecException("$.delta_rule", "must be an object { \"c\": …, \"beta\": … } (δ = c·n^(−β))");
        }
        foreach (var (key, _) in rule)
        {
            if (key is not ("c" or "beta"))
            {
                throw new SpecException($"$.delta_rule.{key}", "unknown key (expected c, beta)");
            }
        }
        double c = Number(rule, "c");
        double beta = Number(rule, "beta");
        if (!(c > 0))
        {
            throw new SpecException("$.delta_rule.c", $"must be > 0, got {c.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }
        if (!(beta >= 0))
        {
            throw new SpecException("$.delta_rule.beta", $"must be ≥ 0, got {beta.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }
        return new DeltaRule(c, beta);
    }

    private static double Number(JsonObject parent, string key)
    {
        if (parent[key] is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
        {
            throw new SpecException($"$.delta_rule.{key}", parent.ContainsKey(key) ? "must be a number" : "required");
        }
        double number = value.GetValue<double>();
        if (!double.IsFinite(number))
        {
            throw new SpecException($"$.delta_rule.{key}", "must be finite");
        }
        return number;
    }

    private static void CheckCount(IReadOnlyList<SweepAxis> axes, bool zip)
    {
        if (zip)
        {
            for (int a = 1; a < axes.Count; a++)
            {
                if (axes[a].Values.Count != axes[0].Values.Count)
                {
                    throw new SpecException(axes[a].FilePath,
                        $"zip pairs the lists element-wise: has {axes[a].Values.Count} values, {axes[0].FilePath} has {axes[0].Values.Count}");
                }
            }
            return;
        }
        long runs = 1;
        foreach (var axis in axes)
        {
            runs *= axis.Values.Count;
            if (runs > MaxRuns)
            {
                throw new SpecException("$.vary", $"the product generates more than {MaxRuns} runs");
            }
        }
    }
}
