using System.Text;
using System.Text.Json;
using HpcGB.Engine.Cases;
using HpcGB.Engine.Integrators.Implicit;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Spec;

/// <summary>
/// Reads a JSON spec (docs/spec.md) into a validated <see cref="SimulationSpec"/> with every default applied.
/// Any invalid input — malformed JSON, a duplicate or unknown key, a wrong type, a value out of range, a broken
/// cross-field rule — throws <see cref="SpecException"/> naming the JSON path; nothing is silently fixed.
/// </summary>
public static class SpecReader
{
    /// <summary>The most particles any <c>particles</c> block may produce (dipoles count twice).</summary>
    public const int MaxParticles = 50_000_000;

    /// <summary>The most output times (<c>time.outputs</c>).</summary>
    public const int MaxOutputs = 100_000;

    /// <summary>The largest core length δ (<c>regularization.delta</c>).</summary>
    public const double MaxDelta = 0.25;

    /// <summary>The smallest core length δ: far below any physical use, and far enough above the double range's
    /// end that δ², 1/δ² and the kernels' series stay finite (at 1e-200 the energy is NaN).</summary>
    public const double MinDelta = 1e-100;

    /// <summary>The largest force tolerance (<c>forces.tolerance</c>).</summary>
    public const double MaxForceTolerance = 0.1;

    /// <summary>The largest <c>forces.opencl.platform</c> and <c>forces.opencl.device</c>.</summary>
    public const int MaxOpenClIndex = 255;

    /// <summary>The largest <c>forces.threads</c>.</summary>
    public const int MaxThreads = 1024;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 64,
    };

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 64,
    };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Parses and validates a particle spec held in a string (a continuum spec fails at <c>$.model</c>).</summary>
    public static SimulationSpec Parse(string json) => Particles(ParseRun(json));

    /// <summary>Parses and validates a particle spec given as UTF-8 bytes (parsed in place, no copy of the text).</summary>
    public static SimulationSpec Parse(ReadOnlyMemory<byte> utf8) => Particles(ParseRun(utf8));

    /// <summary>Reads a UTF-8 particle spec file (a leading byte-order mark is allowed) and parses it.</summary>
    public static SimulationSpec ParseFile(string path) => Particles(ParseRunFile(path));

    /// <summary>Parses and validates a spec of either model (<c>"model"</c>: particles or continuum).</summary>
    public static RunSpec ParseRun(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw JsonSyntaxError.Describe(Encoding.UTF8.GetBytes(json), ex, ReaderOptions);
        }
        using (document)
        {
            return ReadRun(document.RootElement);
        }
    }

    /// <summary>Parses and validates a spec of either model given as UTF-8 bytes.</summary>
    public static RunSpec ParseRun(ReadOnlyMemory<byte> utf8)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw JsonSyntaxError.Describe(utf8.Span, ex, ReaderOptions);
        }
        using (document)
        {
            return ReadRun(document.RootElement);
        }
    }

    /// <summary>Reads a UTF-8 spec file of either model (a leading byte-order mark is allowed) and parses it.</summary>
    public static RunSpec ParseRunFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new SpecException("$", $"cannot read spec file '{path}': {ex.Message}");
        }
        int start = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        string json;
        try
        {
            json = StrictUtf8.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException)
        {
            throw new SpecException("$", $"spec file '{path}' is not valid UTF-8");
        }
        return ParseRun(json);
    }

    private static SimulationSpec Particles(RunSpec spec) => spec as SimulationSpec
        ?? throw new SpecException("$.model", "a continuum spec has no particles to run; read it with SpecReader.ParseRun");

    private static RunSpec ReadRun(JsonElement root)
    {
        var top = SpecObject.Open(root, "$");
        if (top.Enum("model", SpecNames.Model, RunModel.Particles) == RunModel.Continuum)
        {
            return ContinuumSpecReader.Read(top);
        }
        top.RestrictTo(
            "dimension", "kernel", "mobility", "regularization", "external", "particles", "time", "forces", "seed", "model", "outputs");
        var system = ReadSystem(top);
        int dimension = system.Dimension;
        var particles = ParticleSourceReader.Read(top.Required("particles"), top.PathOf("particles"), dimension);
        var time = top.TryGet("time", out var t) ? ReadTime(t, top.PathOf("time")) : TimeSpec.Default;
        var forces = top.TryGet("forces", out var f) ? ReadForces(f, top.PathOf("forces")) : ForcesSpec.Default;
        ulong seed = top.TryGet("seed", out var s) ? JsonValues.UnsignedInteger(s, top.PathOf("seed")) : 1UL;
        RequireCapabilities(KernelCases.For(system), time, forces, top.PathOf("time"), top.PathOf("forces"));
        var outputs = top.TryGet("outputs", out var o) ? ReadOutputs(o, top.PathOf("outputs")) : OutputsSpec.Default;
        return new SimulationSpec(system, particles, time, forces, seed) { Outputs = outputs };
    }

    private static OutputsSpec ReadOutputs(JsonElement element, string path)
    {
        var block = SpecObject.Open(element, path).RestrictTo("velocities");
        return new OutputsSpec(block.Boolean("velocities", OutputsSpec.Default.Velocities));
    }

    /// <summary>The case's capabilities decide whether the requested force method, device and integrator exist for it.</summary>
    private static void RequireCapabilities(KernelCase kase, TimeSpec time, ForcesSpec forces, string timePath, string forcesPath)
    {
        if (forces.Method == ForceMethod.Pme && kase.FastPath is { Supported: false } fastPath)
        {
            throw new SpecException(JsonPath.Child(forcesPath, "method"), $"\"pme\" is not available for {kase.Name}: {fastPath.Reason}");
        }
        if (forces.Device == ForceDevice.OpenCl && kase.OpenCl is { Supported: false } openCl)
        {
            throw new SpecException(JsonPath.Child(forcesPath, "device"), $"\"opencl\" is not available for {kase.Name}: {openCl.Reason}");
        }
        if (time.Integrator == IntegratorType.Implicit && kase.Implicit is { Supported: false } implicitIntegrator)
        {
            throw new SpecException(JsonPath.Child(timePath, "integrator"), $"\"implicit\" is not available for {kase.Name}: {implicitIntegrator.Reason}; use \"dp45\"");
        }
    }

    /// <summary>The physics shared by both models: dimension, kernel, mobility, regularization, external.</summary>
    internal static SystemModel ReadSystem(SpecObject top)
    {
        int dimension = (int)top.RequiredInteger("dimension", 1, 2, "1 or 2");

        var kernel = top.Enum("kernel", SpecNames.Kernel, KernelType.Log);
        var dimensions = KernelCases.Dimensions(kernel);
        if (!dimensions.Contains(dimension))
        {
            throw new SpecException(top.PathOf("kernel"),
                $"kernel \"{SpecNames.Kernel.NameOf(kernel)}\" requires dimension {string.Join(" or ", dimensions)}, got dimension {dimension}");
        }
        var mobility = top.Enum("mobility", SpecNames.Mobility, MobilityType.Isotropic);
        if (mobility == MobilityType.Glide && dimension != 2)
        {
            throw new SpecException(
                top.PathOf("mobility"), $"mobility \"glide\" requires dimension 2, got dimension {dimension}");
        }
        var regularization = top.TryGet("regularization", out var r)
            ? ReadRegularization(r, top.PathOf("regularization"))
            : Regularization.Default;
        if (KernelCases.Find(dimension, kernel, regularization.Type) is null)
        {
            throw new SpecException(JsonPath.Child(top.PathOf("regularization"), "type"),
                $"regularization \"{SpecNames.Regularization.NameOf(regularization.Type)}\" does not exist for the {dimension}D {SpecNames.Kernel.NameOf(kernel)} kernel");
        }
        var external = top.TryGet("external", out var e)
            ? ReadExternal(e, top.PathOf("external"), dimension)
            : ExternalPotential.None(dimension);
        return new SystemModel(dimension, kernel, mobility, regularization, external);
    }

    private static Regularization ReadRegularization(JsonElement element, string path)
    {
        var block = SpecObject.Open(element, path).RestrictTo("type", "delta");
        var type = block.Enum("type", SpecNames.Regularization, Regularization.Default.Type);
        double delta = block.Double("delta", Regularization.Default.Delta);
        if (!(delta >= MinDelta && delta <= MaxDelta))
        {
            throw new SpecException(
                block.PathOf("delta"), $"must be in [{SpecFormat.Number(MinDelta)}, {SpecFormat.Number(MaxDelta)}], got {SpecFormat.Number(delta)}");
        }
        return new Regularization(type, delta);
    }

    private static ExternalPotential ReadExternal(JsonElement element, string path, int dimension)
    {
        var block = SpecObject.Open(element, path).RestrictTo("modes", "force");
        var modes = new List<FourierMode>();
        if (block.TryGet("modes", out var modesElement))
        {
            string modesPath = block.PathOf("modes");
            JsonValues.ArrayLength(modesElement, modesPath);
            int index = 0;
            foreach (var item in modesElement.EnumerateArray())
            {
                modes.Add(ReadMode(item, JsonPath.Index(modesPath, index), dimension));
                index++;
            }
        }
        double[] force = block.TryGet("force", out var forceElement)
            ? JsonValues.Vector(forceElement, block.PathOf("force"), dimension)
            : new double[dimension];
        return new ExternalPotential(modes, force);
    }

    internal static FourierMode ReadMode(JsonElement element, string path, int dimension)
    {
        var mode = SpecObject.Open(element, path).RestrictTo("k", "cos", "sin");
        int[] k = JsonValues.IntegerVector(mode.Required("k"), mode.PathOf("k"), dimension);
        if (k.All(component => component == 0))
        {
            throw new SpecException(mode.PathOf("k"), "must not be all zero (the k = 0 mode is a constant with no force)");
        }
        return new FourierMode(k, mode.Double("cos", 0.0), mode.Double("sin", 0.0));
    }

    private static TimeSpec ReadTime(JsonElement element, string path)
    {
        var block = SpecObject.Open(element, path)
            .RestrictTo("end", "integrator", "rtol", "atol", "outputs", "step", "max_order", "error");
        var defaults = TimeSpec.Default;
        double end = Positive(block, "end", defaults.End);
        var integrator = block.Enum("integrator", SpecNames.Integrator, defaults.Integrator);
        double rtol = Positive(block, "rtol", defaults.Rtol);
        double atol = Positive(block, "atol", defaults.Atol);
        int outputs = (int)block.Integer("outputs", defaults.Outputs, 2, MaxOutputs);
        double step = Positive(block, "step", defaults.Step);
        var time = new TimeSpec(end, integrator, rtol, atol, outputs, step);
        int maxOrder = (int)block.Integer("max_order", defaults.MaxOrder, 1, BdfFormula.MaxOrder);
        var error = block.Enum("error", SpecNames.ErrorControl, defaults.Error);
        foreach (string key in (ReadOnlySpan<string>)["max_order", "error"])
        {
            if (!time.HasImplicitSettings && block.Has(key))
            {
                throw new SpecException(
                    block.PathOf(key),
                    $"applies only to integrator \"implicit\" (or \"auto\"), not \"{SpecNames.Integrator.NameOf(integrator)}\"");
            }
        }
        return time with { MaxOrder = maxOrder, Error = error };
    }

    private static ForcesSpec ReadForces(JsonElement element, string path)
    {
        var block = SpecObject.Open(element, path).RestrictTo("method", "tolerance", "simd", "threads", "device", "opencl");
        var method = block.Enum("method", SpecNames.ForceMethod, ForcesSpec.Default.Method);
        double tolerance = block.Double("tolerance", ForcesSpec.Default.Tolerance);
        if (!(tolerance > 0 && tolerance <= MaxForceTolerance))
        {
            throw new SpecException(block.PathOf("tolerance"), $"must be in (0, {SpecFormat.Number(MaxForceTolerance)}], got {SpecFormat.Number(tolerance)}");
        }
        var simd = block.Enum("simd", SpecNames.Simd, ForcesSpec.Default.Simd);
        int threads = (int)block.Integer("threads", 0, 0, MaxThreads, "an integer in 0 … 1024 (0 = all cores)");
        var device = block.Enum("device", SpecNames.Device, ForcesSpec.Default.Device);
        if (device == ForceDevice.OpenCl && method == ForceMethod.Reference)
        {
            throw new SpecException(block.PathOf("device"), Forces.OpenCl.DeviceChoice.PmeOnly);
        }
        OpenClChoice? openCl = null;
        if (block.TryGet("opencl", out var openClElement))
        {
            string openClPath = block.PathOf("opencl");
            if (device == ForceDevice.Cpu)
            {
                throw new SpecException(openClPath, "only with device \"opencl\" or \"auto\"");
            }
            var choice = SpecObject.Open(openClElement, openClPath).RestrictTo("platform", "device");
            openCl = new OpenClChoice(
                (int)choice.Integer("platform", 0, 0, MaxOpenClIndex, "an integer in 0 … 255 (hpcgb info lists them)"),
                (int)choice.Integer("device", 0, 0, MaxOpenClIndex, "an integer in 0 … 255 (hpcgb info lists them)"));
        }
        return new ForcesSpec(method, tolerance, simd, threads, device, openCl);
    }

    internal static double Positive(SpecObject block, string key, double defaultValue)
    {
        double value = block.Double(key, defaultValue);
        return value > 0 ? value : throw new SpecException(block.PathOf(key), $"must be > 0, got {SpecFormat.Number(value)}");
    }
}
