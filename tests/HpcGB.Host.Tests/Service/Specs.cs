namespace HpcGB.Host.Tests.Service;

/// <summary>Small specs for the service tests, as JSON text.</summary>
internal static class Specs
{
    /// <summary>2D, n particles uniform, gaussian δ = 0.05, reference forces: milliseconds per frame at n ≤ 100.</summary>
    public static string Small(int n = 40, double end = 0.01, int outputs = 5, string integrator = "dp45") =>
        $$"""
        { "dimension": 2, "particles": { "init": "uniform", "n": {{n}} }, "regularization": { "delta": 0.05 },
          "time": { "end": {{end}}, "outputs": {{outputs}}, "integrator": "{{integrator}}", "step": 1e-4 },
          "forces": { "method": "reference" }, "seed": 3 }
        """;

    /// <summary>A run that takes seconds (many outputs, tight tolerance): something to cancel or interrupt.</summary>
    public static string Long(int n = 200) =>
        $$"""
        { "dimension": 2, "particles": { "init": "uniform", "n": {{n}} }, "regularization": { "delta": 0.02 },
          "time": { "end": 1000, "outputs": 100000, "rtol": 1e-10, "atol": 1e-12 },
          "forces": { "method": "reference" }, "seed": 5 }
        """;
}
