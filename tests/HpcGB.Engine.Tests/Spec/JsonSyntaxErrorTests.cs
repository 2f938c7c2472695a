using HpcGB.Engine.Spec;

namespace HpcGB.Engine.Tests.Spec;

/// <summary>JSON syntax errors name the field being read and say what is wrong in the spec's terms, not the
/// reader's ("isFinalBlock", "Change the reader options"); no message echoes a huge key.</summary>
public sealed class JsonSyntaxErrorTests
{
    private const string Particles = """{"init": "uniform", "n": 4}""";

    [Theory]
    [InlineData("", "$", "malformed JSON at line 1, byte 1: the text is empty; a spec is a JSON object")]
    [InlineData("   \n  ", "$", "the text is empty")]
    [InlineData("{\"dimension\": 2, \"particles\": " + Particles + ",}", "$", "a comma after the last entry (JSON allows none there)")]
    [InlineData("{\"dimension\": 2, \"particles\": {\"positions\": [0.1, 0.2,], \"signs\": [1, -1]}}", "$.particles.positions", "a comma after the last entry")]
    [InlineData("{\"dimension\": 2,\n \"regularization\": {\"delta\": NaN}, \"particles\": " + Particles + "}", "$.regularization.delta", "malformed JSON at line 2, byte 30: NaN is not a JSON number; write a finite number")]
    [InlineData("{\"dimension\": 1, \"particles\": {\"positions\": [0.1, -Infinity], \"signs\": [1, -1]}}", "$.particles.positions[1]", "-Infinity is not a JSON number")]
    [InlineData("{\"dimension\": 2, \"particles\": " + Particles, "$", "the text ends before every object, array and string is closed")]
    [InlineData("{\"dimension\": 2 \"particles\": " + Particles + "}", "$", "expected ',' or the closing bracket after a value, found '\"particles\":")]
    [InlineData("{\"dimension\": 2, \"particles\": " + Particles + "} x", "$", "text after the end of the JSON object: 'x'")]
    [InlineData("{\"dimension\": 2, // two\n \"particles\": " + Particles + "}", "$", "comments are not allowed in JSON")]
    [InlineData("{\"dimension\": tru, \"particles\": " + Particles + "}", "$.dimension", "expected true, false or null")]
    public void ASyntaxErrorNamesTheFieldInPlainWords(string json, string path, string reason)
    {
        var error = Assert.Throws<SpecException>(() => SpecReader.Parse(json));
        Assert.Equal(path, error.Path);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("isFinalBlock", error.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("reader options", error.Reason, StringComparison.Ordinal);

        // The same from UTF-8 bytes (the service's path).
        var fromBytes = Assert.Throws<SpecException>(() => SpecReader.Parse(System.Text.Encoding.UTF8.GetBytes(json).AsMemory()));
        Assert.Equal(error.Message, fromBytes.Message);
    }

    [Fact]
    public void AHugeUnknownKeyIsNotEchoedInFull()
    {
        string key = new('k', 10 << 20);
        var error = Assert.Throws<SpecException>(() => SpecReader.Parse($$"""{"dimension": 2, "{{key}}": 1, "particles": {{Particles}}}"""));
        Assert.Equal($"$['{new string('k', 64)}…' (10485760 characters)]", error.Path);
        Assert.True(error.Message.Length < 300, $"message of {error.Message.Length} characters");
    }

    [Theory]
    [InlineData(5e-324)]
    [InlineData(1e-300)]
    public void ADeltaBelowTheDoubleRangeOfTheKernelsIsRefused(double delta)
    {
        string json = $$"""{"dimension": 2, "regularization": {"type": "poisson", "delta": {{delta.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}}}, "particles": {{Particles}}}""";
        var error = Assert.Throws<SpecException>(() => SpecReader.Parse(json));
        Assert.Equal("$.regularization.delta", error.Path);
        Assert.StartsWith("must be in [1E-100, 0.25], got", error.Reason, StringComparison.Ordinal);
    }
}
