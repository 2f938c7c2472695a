namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>The last three accepted points (t, x) of the moving axes, newest first, for BDF2 and the predictors.</summary>
internal sealed class StepHistory
{
    private readonly double[][][] _points;
    private readonly double[] _times = new double[3];
    private int _newest;

    public StepHistory(int movingAxes, int count)
    {
        _points = new double[3][][];
        for (int k = 0; k < 3; k++)
        {
            _points[k] = new double[movingAxes][];
            for (int a = 0; a < movingAxes; a++)
            {
                _points[k][a] = new double[count];
            }
        }
    }

    /// <summary>Points held (0 … 3).</summary>
    public int Count { get; private set; }

    /// <summary>The k-th newest point's time (k = 0 the current one).</summary>
    public double Time(int k) => _times[Slot(k)];

    /// <summary>The k-th newest point's positions.</summary>
    public double[][] Point(int k) => _points[Slot(k)];

    public void Clear() => Count = 0;

    /// <summary>Makes (t, x) the newest point (copies the moving axes of x).</summary>
    public void Push(double t, double[][] x)
    {
        _newest = (_newest + 1) % 3;
        _times[_newest] = t;
        var target = _points[_newest];
        for (int a = 0; a < target.Length; a++)
        {
            Array.Copy(x[a], target[a], target[a].Length);
        }
        Count = Math.Min(3, Count + 1);
    }

    private int Slot(int k) => (_newest - k + 3) % 3;
}
