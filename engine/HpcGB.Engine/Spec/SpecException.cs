namespace HpcGB.Engine.Spec;

/// <summary>An invalid spec field: <see cref="Path"/> is the JSON path (e.g. <c>$.regularization.delta</c>).</summary>
public sealed class SpecException(string path, string reason) : Exception($"{path}: {reason}")
{
    public string Path { get; } = path;

    public string Reason { get; } = reason;
}
