using HpcGB.Interop.OpenCl;
using HpcGB.Tests.Shared;

namespace HpcGB.Interop.Tests.OpenCl;

/// <summary>The OpenCL layer: discovery and the checked choice of a device, statuses, buffers, kernels, build logs.</summary>
public class OpenClInteropTests
{
    [Fact]
    public void AFailedCallNamesTheCallAndTheStatus()
    {
        var error = Assert.Throws<OpenClException>(() => ClStatus.ThrowIfFailed(-5, "clEnqueueNDRangeKernel(near_field)"));
        Assert.Equal("OpenCL clEnqueueNDRangeKernel(near_field) failed: CL_OUT_OF_RESOURCES (-5)", error.Message);
        ClStatus.ThrowIfFailed(0, "clFinish");
    }

    [Fact]
    public void AMissingLoaderSaysWhatToInstall()
    {
        var error = Assert.Throws<OpenClUnavailableException>(() => OpenClApi.EnsureLoader("libOpenCL-not-here.so.1"));
        Assert.Contains("'libOpenCL-not-here.so.1' was not found", error.Message);
        Assert.Contains("apt-get install ocl-icd-libopencl1 pocl-opencl-icd", error.Message);
        Assert.True(error.IsMachineProblem);
    }

    [OpenClFact]
    public void DiscoveryDescribesTheDevices()
    {
        var devices = OpenClPlatforms.Discover();
        var device = Assert.Single(devices, d => d.Platform == OpenClTestDevice.Device.Platform && d.Index == OpenClTestDevice.Device.Index);
        Assert.True(device.Fp64);
        Assert.True(device.ComputeUnits > 0 && device.GlobalMemoryBytes > 0 && device.MaxAllocationBytes > 0);
        Assert.False(string.IsNullOrWhiteSpace(device.Name + device.Vendor + device.Driver));
    }

    [OpenClFact]
    public void AChoiceOfNoSuchPlatformOrDeviceIsRefusedNamingWhatExists()
    {
        var platform = Assert.Throws<OpenClUnavailableException>(() => OpenClPlatforms.Select(200, 0));
        Assert.Equal(OpenClProblem.NoSuchPlatform, platform.Problem);
        Assert.Contains("no OpenCL platform 200", platform.Message);
        var device = Assert.Throws<OpenClUnavailableException>(() => OpenClPlatforms.Select(OpenClTestDevice.Device.Platform, 200));
        Assert.Equal(OpenClProblem.NoSuchDevice, device.Problem);
        Assert.False(device.IsMachineProblem);
    }

    [OpenClFact]
    public void BuffersAndKernelsRoundTrip()
    {
        var context = ClContext.Shared(OpenClTestDevice.Device);
        using var queue = context.CreateQueue();
        var program = context.Program("interop-test-scale", ["""
            #pragma OPENCL EXTENSION cl_khr_fp64 : enable
            __kernel void scale(__global double* x, int n, double factor) { int i = get_global_id(0); if (i < n) x[i] *= factor; }
            """], "");
        using var kernel = program.CreateKernel("scale");
        double[] values = [1.5, -2.0, 3.25, 1e-300, 7.0];
        using var buffer = context.CreateBuffer<double>(values.Length);
        queue.Write(buffer, values);
        kernel.Set(0, buffer).SetValue(1, values.Length).SetValue(2, 2.0);
        queue.Launch(kernel, values.Length, local: 4);
        var result = new double[values.Length];
        queue.Read(buffer, result.AsSpan());
        Assert.Equal(values.Select(v => 2 * v), result);
        queue.Fill(buffer, 0.5, 2);
        queue.Read(buffer, result.AsSpan());
        Assert.Equal([0.5, 0.5, 6.5, 2e-300, 14.0], result);
    }

    [OpenClFact]
    public void AProgramThatDoesNotCompileReportsItsBuildLog()
    {
        var context = ClContext.Shared(OpenClTestDevice.Device);
        var error = Assert.Throws<OpenClBuildException>(() =>
            ClProgram.Build(context, "broken-test", ["__kernel void k(__global int* a) { a[0] = no_such_variable; }"], ""));
        Assert.StartsWith("OpenCL program 'broken-test' did not build: CL_BUILD_PROGRAM_FAILURE (-11); build log:", error.Message);
        Assert.Contains("no_such_variable", error.BuildLog);
    }
}
