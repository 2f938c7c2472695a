namespace HpcGB.Engine.Forces.NearField;

/// <summary>The argument checks shared by the short-range operators and the near-field evaluator.</summary>
internal static class OperatorArguments
{
    public static void RequirePositive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "must be finite and > 0");
        }
    }
}
