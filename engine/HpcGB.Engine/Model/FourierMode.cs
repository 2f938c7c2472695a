namespace HpcGB.Engine.Model;

/// <summary>One term c·cos(2πk·x) + s·sin(2πk·x) of the external potential U.</summary>
/// <param name="K">Integer wave vector, length d.</param>
public sealed record FourierMode(int[] K, double Cos, double Sin);
