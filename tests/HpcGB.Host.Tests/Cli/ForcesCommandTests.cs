using System.Globalization;
using System.Text.Json;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Initialization;
using HpcGB.Host.Cli;

namespace HpcGB.Host.Tests.Cli;

/// <summary><c>hpcgb forces</c>: the exact JSON shape and bit-exact round trip of every printed number.</summary>
public sealed class ForcesCommandTests : IClassFixture<CliHarness>
{
    private readonly CliHarness _harness;

    public ForcesCommandTests(CliHarness harness) => _harness = harness;

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public void JsonHasOneVelocityPerParticleAndRoundTripsBitExactly(int dimension)
    {
        var spec = dimension == 2 ? CliHarness.Tiny2D() : CliHarness.Tiny1D();
        string specPath = _harness.WriteSpec($"forces{dimension}d.json", spec);

        var result = CliHarness.Run("forces", specPath, "--json");

        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        Assert.StartsWith("{\"energy\": ", result.Stdout);
        Assert.Equal(1, result.Stdout.Count(c => c == '\n'));

        // The same evaluation done directly: the printed numbers must parse back to these doubles bit for bit.
        var state = InitialConditions.Create(spec);
        var velocity = state.NewVectors();
        double energy = ForceEvaluatorFactory.Create(spec.System, spec.Forces, state.Count).Evaluate(state, velocity, withEnergy: true);

        using var document = JsonDocument.Parse(result.Stdout);
        var root = document.RootElement;
        Assert.Equal(["energy", "velocities", "parameters"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("reference", root.GetProperty("parameters").GetProperty("method").GetString());
        AssertBitEqual(energy, root.GetProperty("energy"));
        var velocities = root.GetProperty("velocities");
        Assert.Equal(state.Count, velocities.GetArrayLength());
        for (int i = 0; i < state.Count; i++)
        {
            Assert.Equal(dimension, velocities[i].GetArrayLength());
            for (int a = 0; a < dimension; a++)
            {
                AssertBitEqual(velocity[a][i], velocities[i][a]);
            }
        }
    }

    [Fact]
    public void PmeReportsItsParametersAndAgreesWithTheReference()
    {
        string specPath = _harness.WriteSpec("forces-pme.json", CliHarness.Tiny2D());

        var reference = CliHarness.Run("forces", specPath, "--method", "reference", "--json");
        var pme = CliHarness.Run("forces", specPath, "--method", "pme", "--json");

        Assert.True(pme.ExitCode == ExitCodes.Success, pme.Stderr);
        using var exact = JsonDocument.Parse(reference.Stdout);
        using var fast = JsonDocument.Parse(pme.Stdout);
        var parameters = fast.RootElement.GetProperty("parameters");
        Assert.Equal("pme", parameters.GetProperty("method").GetString());
        int mesh = parameters.GetProperty("mesh").GetInt32();
        Assert.True(mesh >= 16);
        Assert.InRange(parameters.GetProperty("band_columns").GetInt32(), 1, mesh / 2 + 1);
        Assert.True(parameters.GetProperty("sigma").GetDouble() >= 0);
        Assert.Equal(1e-6, parameters.GetProperty("tolerance").GetDouble());
        double err = 0, norm = 0;
        var v = exact.RootElement.GetProperty("velocities");
        var w = fast.RootElement.GetProperty("velocities");
        for (int i = 0; i < v.GetArrayLength(); i++)
        {
            for (int a = 0; a < 2; a++)
            {
                err += Math.Pow(v[i][a].GetDouble() - w[i][a].GetDouble(), 2);
                norm += Math.Pow(v[i][a].GetDouble(), 2);
            }
        }
        Assert.True(Math.Sqrt(err / norm) < 1e-6, $"relative RMS difference {Math.Sqrt(err / norm):E2}");
    }

    [Fact]
    public void MethodOverrideGivesTheSameNumbersForReferenceAndAuto()
    {
        string specPath = _harness.WriteSpec("forces-method.json", CliHarness.Tiny2D());

        var reference = CliHarness.Run("forces", specPath, "--method", "reference", "--json");
        var auto = CliHarness.Run("forces", specPath, "--method", "auto", "--json");

        Assert.Equal(ExitCodes.Success, reference.ExitCode);
        Assert.Equal(reference.Stdout, auto.Stdout);
    }

    [Fact]
    public void UnknownMethodIsACommandLineError()
    {
        var result = CliHarness.Run("forces", _harness.WriteSpec("forces-bad.json", CliHarness.Tiny2D()), "--method", "magic");

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.StartsWith("error: ", result.Stderr);
    }

    [Fact]
    public void WithoutJsonPrintsATable()
    {
        var result = CliHarness.Run("forces", _harness.WriteSpec("forces-table.json", CliHarness.Tiny2D()));

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("energy E_n = ", result.Stdout);
        Assert.Contains("v(x₁)", result.Stdout);
    }

    [Fact]
    public void CollisionInTheInitialConfigurationExitsOne()
    {
        var spec = CliHarness.Collision() with
        {
            Particles = new HpcGB.Engine.Spec.ExplicitParticles([[0.5, 0.5], [0.5, 0.5]], [1, -1]),
        };
        var result = CliHarness.Run("forces", _harness.WriteSpec("forces-collision.json", spec), "--json");

        // Coincident opposite signs are either rejected by the spec reader (2) or collide in the evaluator (1).
        Assert.Contains(result.ExitCode, new[] { ExitCodes.RuntimeFailure, ExitCodes.InvalidInput });
        Assert.StartsWith("error: ", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0 / 3.0)]
    [InlineData(-2.5e-308)]
    [InlineData(4.9e-324)]
    [InlineData(double.MaxValue)]
    [InlineData(123456789.123456789)]
    [InlineData(1e21)]
    [InlineData(1e-7)]
    public void PrintedNumbersAreValidJsonAndRoundTrip(double value)
    {
        // value = 0 also covers −0 through the negated velocity.
        string json = ForcesCommand.ToJson(value, [[value], [-value]], new Dictionary<string, object> { ["method"] = "reference" });

        using var document = JsonDocument.Parse(json);
        AssertBitEqual(value, document.RootElement.GetProperty("energy"));
        AssertBitEqual(value, document.RootElement.GetProperty("velocities")[0][0]);
        AssertBitEqual(-value, document.RootElement.GetProperty("velocities")[0][1]);
    }

    private static void AssertBitEqual(double expected, JsonElement element)
    {
        // Parse the raw token (not GetDouble's own path) the way any reader would.
        double parsed = double.Parse(element.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture);
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(parsed));
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(element.GetDouble()));
    }
}
