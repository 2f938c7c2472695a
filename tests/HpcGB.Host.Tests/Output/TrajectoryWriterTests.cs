using HpcGB.Engine.Model;
using HpcGB.Host.Output;
using PureHDF;

namespace HpcGB.Host.Tests.Output;

/// <summary>The streamed HDF5 layout, without running a simulation. Not run in parallel with other tests: the memory
/// test reads the process's heap size.</summary>
[Collection(nameof(TrajectoryWriterTests))]
public sealed class TrajectoryWriterTests : IClassFixture<CliHarness>
{
    private readonly CliHarness _harness;

    public TrajectoryWriterTests(CliHarness harness) => _harness = harness;

    [Fact]
    public void FramesAreWrappedInterleavedAndMissingFramesAreNaN()
    {
        string path = _harness.PathOf("writer.h5");
        sbyte[] signs = [1, -1, 1];
        // Unwrapped positions: the file must hold them wrapped into [0,1).
        var state = new ParticleState([[0.25, 1.5, -0.25], [0.0, 0.75, 2.125]], signs);
        using (var writer = TrajectoryWriter.Create(path, "{\"x\": 1}", frames: 3, signs, dimension: 2))
        {
            writer.Append(0, Record(0, 0.0), state);
            writer.Append(1, Record(1, 0.5), state);
            writer.Complete();
        }

        using var file = H5File.OpenRead(path);
        Assert.Equal("{\"x\": 1}", file.Attribute("spec").Read<string>());
        double[,,] positions = file.Dataset("positions").Read<double[,,]>();
        Assert.Equal(0.5, positions[1, 1, 0]);
        Assert.Equal(0.75, positions[1, 1, 1]);
        Assert.Equal(0.75, positions[0, 2, 0]);
        Assert.Equal(0.125, positions[0, 2, 1]);
        Assert.True(double.IsNaN(positions[2, 0, 0]));
        double[] time = file.Dataset("time").Read<double[]>();
        Assert.Equal(0.5, time[1]);
        Assert.True(double.IsNaN(time[2]));
        Assert.Equal([2L, 2L, -1L], file.Dataset("bound_dipoles").Read<long[]>());
        Assert.Equal(signs, file.Dataset("signs").Read<sbyte[]>());
        double[,] centroid = file.Dataset("centroid").Read<double[,]>();
        Assert.Equal(1.5, centroid[1, 0]);
        Assert.Equal(-2.0, centroid[1, 1]);
    }

    /// <summary>
    /// Output memory does not grow with the number of frames: each frame goes to disk as it arrives. Structural, not
    /// timed: the managed heap after 30 frames of 20,000 particles (320 kB each) is within two frames of the heap after
    /// 5 (kept frames would add 8 MB), and the file on disk already holds the frames' bytes before it is closed.
    /// </summary>
    [Fact]
    public void WritingFramesDoesNotKeepThemInMemory()
    {
        const int n = 20_000, frames = 30;
        string path = _harness.PathOf("memory.h5");
        var signs = Enumerable.Range(0, n).Select(i => (sbyte)(i % 2 == 0 ? 1 : -1)).ToArray();
        var random = new Random(3);
        var state = new ParticleState(
            [Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray(), Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray()],
            signs);
        long frameBytes = n * 2 * sizeof(double);
        long afterFive = 0;
        using (var writer = TrajectoryWriter.Create(path, new TrajectoryLayout("{}", frames, signs, 2, 0.01, Velocities: false)))
        {
            for (int k = 0; k < frames; k++)
            {
                writer.Append(Record(k, k), state, null);
                if (k == 4)
                {
                    afterFive = GC.GetTotalMemory(forceFullCollection: true);
                }
            }
            long afterAll = GC.GetTotalMemory(forceFullCollection: true);
            Assert.True(afterAll - afterFive < 2 * frameBytes, $"heap grew by {afterAll - afterFive} bytes over 25 frames of {frameBytes}");
            Assert.True(new FileInfo(path).Length >= frames * frameBytes, $"only {new FileInfo(path).Length} bytes on disk before closing");
        }
        using var file = H5File.OpenRead(path);
        Assert.Equal(frames, file.Dataset("time").Read<double[]>().Length);
    }

    private static FrameRecord Record(int index, double time) =>
        new(index, time, -1.0, 0.5, [1.5, -2.0], 2, 10, 1, 70, 0.01);
}

[CollectionDefinition(nameof(TrajectoryWriterTests), DisableParallelization = true)]
public sealed class TrajectoryWriterTestsCollection;
