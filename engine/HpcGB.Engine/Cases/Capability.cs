namespace HpcGB.Engine.Cases;

/// <summary>Whether a case supports one capability, and why not where it does not.</summary>
/// <param name="Supported">True where the capability exists for the case.</param>
/// <param name="Reason">Why not (empty where supported): one clause a user can act on.</param>
public readonly record struct Capability(bool Supported, string Reason)
{
    public static Capability Yes { get; } = new(true, "");

    public static Capability No(string reason) => new(false, reason);

    public override string ToString() => Supported ? "yes" : $"no: {Reason}";
}
