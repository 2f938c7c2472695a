using HpcGB.Engine.Continuum;
using PureHDF;

namespace HpcGB.Host.Output;

/// <summary>
/// Writes <c>continuum.h5</c> (HDF5 through PureHDF) once the run has ended:
/// <list type="table">
/// <item><term>/time</term><description>[frames] float64</description></item>
/// <item><term>/positive, /negative</term><description>[frames × M] or [frames × M1 × M2] float64, cell averages (x1 slowest)</description></item>
/// <item><term>/mass_positive, /mass_negative, /energy, /entropy, /max_speed, /min_density</term><description>[frames] float64</description></item>
/// <item><term>/steps</term><description>[frames] int64, SSP-RK3 steps since t = 0</description></item>
/// <item><term>attributes</term><description>spec (the spec JSON), engine_version, grid (the shape)</description></item>
/// </list>
/// Frames never reached (a cancelled or failed run) hold NaN, and −1 in /steps.
/// </summary>
internal static class ContinuumWriter
{
    public static void Write(string path, string specJson, int[] shape, int plannedFrames, IReadOnlyList<ContinuumFrame> frames)
    {
        int cells = shape.Aggregate(1, (a, b) => a * b);
        ulong[] fieldDims = [(ulong)plannedFrames, .. shape.Select(m => (ulong)m)];
        double[] positive = Filled(plannedFrames * cells, double.NaN);
        double[] negative = Filled(plannedFrames * cells, double.NaN);
        foreach (var frame in frames)
        {
            frame.Positive.CopyTo(positive, frame.Index * cells);
            frame.Negative.CopyTo(negative, frame.Index * cells);
        }
        double[] Series(Func<ContinuumObservables, double> select)
        {
            double[] values = Filled(plannedFrames, double.NaN);
            foreach (var frame in frames)
            {
                values[frame.Index] = select(frame.Observables);
            }
            return values;
        }
        long[] steps = Filled(plannedFrames, -1L);
        foreach (var frame in frames)
        {
            steps[frame.Index] = frame.Observables.Steps;
        }

        var positiveSet = new H5Dataset<double[]>(fileDims: fieldDims);
        var negativeSet = new H5Dataset<double[]>(fileDims: fieldDims);
        var file = new H5File
        {
            ["time"] = Series(o => o.Time),
            ["positive"] = positiveSet,
            ["negative"] = negativeSet,
            ["mass_positive"] = Series(o => o.PositiveMass),
            ["mass_negative"] = Series(o => o.NegativeMass),
            ["energy"] = Series(o => o.Energy),
            ["entropy"] = Series(o => o.Entropy),
            ["max_speed"] = Series(o => o.MaxSpeed),
            ["min_density"] = Series(o => o.MinDensity),
            ["steps"] = steps,
        };
        file.Attributes["spec"] = specJson;
        file.Attributes["engine_version"] = EngineInfo.Version;
        file.Attributes["grid"] = shape.Select(m => (long)m).ToArray();
        using var writer = file.BeginWrite(path);
        writer.Write(positiveSet, positive);
        writer.Write(negativeSet, negative);
    }

    private static T[] Filled<T>(int length, T value)
    {
        var array = new T[length];
        Array.Fill(array, value);
        return array;
    }
}
