using System.Globalization;
using System.Text.Json.Nodes;
using HpcGB.Engine.Spec;

namespace HpcGB.Host.Sweeps;

/// <summary>
/// Expands a <see cref="SweepFile"/> into its runs and validates every generated spec before anything runs. An
/// invalid spec throws <see cref="SpecException"/> whose path is the sweep file's entry that produced the bad value
/// (<c>$.vary["particles.n"][2]</c>, <c>$.delta_rule</c>, <c>$.base.…</c>) and whose reason names the run, its
/// values and the generated spec's path.
/// </summary>
internal static class SweepPlan
{
    /// <param name="threads">The command line's <c>--threads</c>: written into every run's <c>forces.threads</c>.</param>
    public static IReadOnlyList<SweepRun> Expand(SweepFile sweep, int? threads = null)
    {
        if (threads is not null && sweep.Vary.Any(a => a.Path == "forces.threads"))
        {
            throw new SpecException("$.vary[\"forces.threads\"]", "--threads sets forces.threads for every run: use one");
        }
        int count = sweep.Vary.Count == 0 ? 1 : sweep.Zip
            ? sweep.Vary[0].Values.Count
            : sweep.Vary.Aggregate(1, (product, axis) => product * axis.Values.Count);
        var runs = new SweepRun[count];
        for (int index = 0; index < count; index++)
        {
            runs[index] = Generate(sweep, index, ValueIndices(sweep, index), threads);
        }
        return runs;
    }

    /// <summary>Which value of each axis run <paramref name="index"/> takes: the product with the last axis fastest,
    /// or the same position in every list when zipped.</summary>
    private static int[] ValueIndices(SweepFile sweep, int index)
    {
        var indices = new int[sweep.Vary.Count];
        int rest = index;
        for (int a = sweep.Vary.Count - 1; a >= 0; a--)
        {
            int length = sweep.Vary[a].Values.Count;
            indices[a] = sweep.Zip ? index : rest % length;
            rest = sweep.Zip ? rest : rest / length;
        }
        return indices;
    }

    private static SweepRun Generate(SweepFile sweep, int index, int[] valueIndices, int? threads)
    {
        var spec = (JsonObject)sweep.Base.DeepClone();
        var values = new string[sweep.Vary.Count];
        var texts = new string[sweep.Vary.Count];
        for (int a = 0; a < sweep.Vary.Count; a++)
        {
            var axis = sweep.Vary[a];
            var value = axis.Values[valueIndices[a]];
            texts[a] = value?.ToJsonString() ?? "null";
            values[a] = value is JsonValue text && text.GetValueKind() == System.Text.Json.JsonValueKind.String ? text.GetValue<string>() : texts[a];
            Set(spec, axis.Path, value?.DeepClone(), $"{axis.FilePath}[{valueIndices[a]}]");
        }
        if (threads is int t)
        {
            Set(spec, "forces.threads", JsonValue.Create(t), "--threads");
        }
        string label = Label(sweep, index, texts);
        var parsed = Parse(sweep, spec, valueIndices, label);
        int particles = ParticleCount(parsed.Particles);
        double? delta = null;
        if (sweep.DeltaRule is { } rule)
        {
            delta = rule.Delta(particles);
            Set(spec, "regularization.delta", JsonValue.Create(delta.Value), "$.delta_rule");
            parsed = Parse(sweep, spec, valueIndices, label);
        }
        return new SweepRun(index, values, delta, particles, parsed, SpecWriter.ToJson(parsed), SweepRun.ExpectedCost(parsed, particles));
    }

    private static SimulationSpec Parse(SweepFile sweep, JsonObject spec, int[] valueIndices, string label)
    {
        RunSpec parsed;
        try
        {
            parsed = SpecReader.ParseRun(spec.ToJsonString());
        }
        catch (SpecException exception)
        {
            throw new SpecException(Culprit(sweep, exception.Path, valueIndices), $"{label}: {exception.Path}: {exception.Reason}");
        }
        return parsed as SimulationSpec
            ?? throw new SpecException("$.base.model", $"{label}: a sweep runs particle specs; run continuum specs with hpcgb run");
    }

    /// <summary>The sweep file's entry responsible for an error at <paramref name="specPath"/> of a generated spec.</summary>
    private static string Culprit(SweepFile sweep, string specPath, int[] valueIndices)
    {
        for (int a = 0; a < sweep.Vary.Count; a++)
        {
            // The axis wrote the bad value, or wrote into the object the error is about.
            if (Covers(sweep.Vary[a].SpecPath, specPath) || Covers(specPath, sweep.Vary[a].SpecPath))
            {
                return $"{sweep.Vary[a].FilePath}[{valueIndices[a]}]";
            }
        }
        if (sweep.DeltaRule is not null && Covers("$.regularization.delta", specPath))
        {
            return "$.delta_rule";
        }
        return "$.base" + specPath[1..];
    }

    private static bool Covers(string prefix, string path) =>
        path == prefix || path.StartsWith(prefix + ".", StringComparison.Ordinal) || path.StartsWith(prefix + "[", StringComparison.Ordinal);

    private static string Label(SweepFile sweep, int index, string[] values)
    {
        var parts = sweep.Vary.Select((axis, a) => $"{axis.Path} = {values[a]}");
        return $"run {index.ToString(CultureInfo.InvariantCulture)}" + (values.Length > 0 ? $" ({string.Join(", ", parts)})" : "");
    }

    /// <summary>Sets the value at a dotted path, creating missing objects on the way.</summary>
    private static void Set(JsonObject spec, string path, JsonNode? value, string culprit)
    {
        string[] segments = path.Split('.');
        JsonNode node = spec;
        for (int s = 0; s < segments.Length; s++)
        {
            bool last = s == segments.Length - 1;
            string segment = segments[s];
            switch (node)
            {
                case JsonObject obj:
                    if (last)
                    {
                        obj[segment] = value;
                        return;
                    }
                    if (obj[segment] is null)
                    {
                        if (int.TryParse(segments[s + 1], out _))
                        {
                            throw new SpecException(culprit, $"{path}: the base spec has no array {string.Join('.', segments[..(s + 1)])} to index");
                        }
                        obj[segment] = new JsonObject();
                    }
                    node = obj[segment]!;
                    break;
                case JsonArray array when int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out int i):
                    if (i >= array.Count)
                    {
                        throw new SpecException(culprit, $"{path}: index {i} is past the end of the base spec's array ({array.Count} elements)");
                    }
                    if (last)
                    {
                        array[i] = value;
                        return;
                    }
                    node = array[i] ?? throw new SpecException(culprit, $"{path}: element {i} of the base spec's array is null");
                    break;
                default:
                    string parent = string.Join('.', segments[..s]);
                    throw new SpecException(culprit, $"{path}: the base spec's {parent} is not an object{(node is JsonArray ? $" (an array: index it with a number, not '{segment}')" : "")}");
            }
        }
    }

    private static int ParticleCount(ParticleSource source) => source switch
    {
        ExplicitParticles p => p.Signs.Length,
        UniformParticles p => p.Count,
        DensityParticles p => p.Count,
        DipoleParticles p => 2 * p.Count,
        _ => throw new NotSupportedException(source.GetType().Name),
    };
}
