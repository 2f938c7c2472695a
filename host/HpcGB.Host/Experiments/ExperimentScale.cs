namespace HpcGB.Host.Experiments;

/// <summary>How large an experiment runs: <c>small</c> finishes in a few minutes on two cores, <c>medium</c> and
/// <c>large</c> take each particle count 4× and 16× further. <see cref="Ci"/> is the reduced core the tests run.</summary>
internal enum ExperimentScale
{
    Ci,
    Small,
    Medium,
    Large,
}
