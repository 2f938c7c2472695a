namespace HpcGB.Engine.Model;

/// <summary>Helpers for the flat unit torus.</summary>
public static class Torus
{
    /// <summary>x mod 1 in [0, 1).</summary>
    public static double Wrap(double x)
    {
        double w = x - Math.Floor(x);
        return w >= 1.0 ? 0.0 : w;
    }

    /// <summary>The representative of x in [−½, ½] (nearest image of a difference).</summary>
    public static double Nearest(double x) => x - Math.Round(x, MidpointRounding.ToEven);
}
