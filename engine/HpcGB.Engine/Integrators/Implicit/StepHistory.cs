namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>
/// The newest accepted points (t, x) of the moving axes, newest first, in a ring of <see cref="Capacity"/>: BDF of
/// order q needs q points, its predictor q + 1, and the order choice's estimate for q + 1 one more.
/// </summary>
internal sealed class StepHistory
{
    private readonly double[][][] _points;
    private readonly double[] _times;
    private int _newest;

    public StepHistory(int movingAxes, int count, int capacity)
    {
        Capacity = capacity;
        _times = new double[capacity];
        _points = new double[capacity][][];
        for (int k = 0; k < capacity; k++)
        {
            _points[k] = new double[movingAxes][];
            for (int a = 0; a < movingAxes; a++)
            {
                _points[k][a] = new double[count];
            }
        }
    }

    public int Capacity { get; }

    /// <summary>Points held (0 … <see cref="Capacity"/>).</summary>
    public int Count { get; private set; }

    /// <summary>The k-th newest point's time (k = 0 the current one).</summary>
    public double Time(int k) => _times[Slot(k)];

    /// <summary>The k-th newest point's positions.</summary>
    public double[][] Point(int k) => _points[Slot(k)];

    public void Clear() => Count = 0;

    /// <summary>Makes (t, x) the newest point (copies the moving axes of x), dropping the oldest when full.</summary>
    public void Push(double t, double[][] x)
    {
        _newest = (_newest + 1) % Capacity;
        _times[_newest] = t;
        var target = _points[_newest];
        for (int a = 0; a < target.Length; a++)
        {
            Array.Copy(x[a], target[a], target[a].Length);
        }
        Count = Math.Min(Capacity, Count + 1);
    }

    private int Slot(int k) => (_newest - k + Capacity) % Capacity;
}
