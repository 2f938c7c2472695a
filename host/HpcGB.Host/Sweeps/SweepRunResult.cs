using System.Text.Json;
using System.Text.Json.Serialization;

namespace HpcGB.Host.Sweeps;

/// <summary>
/// What one run of a sweep reports back to rank 0 and into the tables: its status, the failure message, the final
/// observables (from its summary.json) and its wall time. Travels as JSON (<see cref="ToBytes"/>).
/// </summary>
internal sealed record SweepRunResult(
    int Index,
    string Status,
    string? Message,
    int Frames,
    double? FinalTime,
    double? InitialEnergy,
    double? FinalEnergy,
    double? MaxSpeed,
    long? BoundDipoles,
    long? AcceptedSteps,
    long? RejectedSteps,
    long? ForceEvaluations,
    double WallSeconds)
{
    public const string Completed = "completed";
    public const string Failed = "failed";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public bool Succeeded => Status == Completed;

    public static SweepRunResult Failure(int index, string message, double wallSeconds) =>
        new(index, Failed, message, 0, null, null, null, null, null, null, null, null, wallSeconds);

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Options);

    public static SweepRunResult FromBytes(byte[] bytes) =>
        JsonSerializer.Deserialize<SweepRunResult>(bytes, Options) ?? throw new JsonException("empty run result");

    public JsonElement ToElement() => JsonSerializer.SerializeToElement(this, Options);

    public static SweepRunResult FromElement(JsonElement element) =>
        element.Deserialize<SweepRunResult>(Options) ?? throw new JsonException("empty run result");
}
