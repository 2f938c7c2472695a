using BenchmarkDotNet.Running;
using HpcGB.Bench;

if (args.Length > 0 && args[0] == "profile")
{
    var sizes = args.Length > 1 ? args.Skip(1).Select(int.Parse) : [10_000, 100_000, 1_000_000];
    StageProfile.Run(sizes);
    return;
}
if (args.Length > 5 && args[0] == "builds")
{
    BuildComparison.Run(args[1..]);
    return;
}
if (args.Length > 3 && args[0] == "meshorder")
{
    MeshOrderProfile.Run(args[1..]);
    return;
}
if (args.Length > 4 && args[0] == "count")
{
    InstructionCount.Run(args[1..]);
    return;
}
if (args.Length > 6 && args[0] == "accuracy")
{
    AccuracySweep.Run(args[1..]);
    return;
}
if (args.Length > 2 && args[0] == "layouts")
{
    LayoutComparison.Run(args[1..]);
    return;
}
if (args.Length > 3 && args[0] == "near")
{
    NearFieldTiming.Run(args[1..]);
    return;
}
if (args.Length > 4 && args[0] == "balance")
{
    ParameterBalance.Run(args[1..]);
    return;
}
if (args.Length > 6 && args[0] == "smallmesh")
{
    SmallMeshBalance.Run(args[1..]);
    return;
}
if (args.Length > 5 && args[0] == "loop")
{
    EvaluationLoop.Run(args[1..]);
    return;
}
if (args.Length > 1 && args[0] == "fft")
{
    FftSizes.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "opencl")
{
    OpenClProfile.Run(args[1..]);
    return;
}
if (args.Length > 1 && args[0] == "implicit")
{
    ImplicitTrace.Run(args.Skip(1).ToList());
    return;
}
if (args.Length > 1 && args[0] == "newton")
{
    NewtonProfile.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "distributed")
{
    DistributedProfile.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "service")
{
    await ServiceBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(PmeBenchmarks).Assembly).Run(args);
