namespace HpcGB.Engine.Numerics;

/// <summary>Small elementary functions that .NET lacks.</summary>
public static class SpecialMath
{
    /// <summary>e^z − 1 without cancellation for small |z| (2 tanh(z/2)/(1 − tanh(z/2))).</summary>
    public static double ExpM1(double z)
    {
        if (Math.Abs(z) > 0.7)
        {
            return Math.Exp(z) - 1.0;
        }
        double t = Math.Tanh(z / 2);
        return 2 * t / (1 - t);
    }
}
