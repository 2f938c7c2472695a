using HpcGB.Client;
using HpcGB.Client.Wire;
using HpcGB.Tests.Shared;

namespace HpcGB.Host.Tests.Service;

/// <summary>The service's <c>forces</c> and runs on an OpenCL device; an unusable device is an invalid spec.</summary>
public sealed class OpenClServiceTests : ServerWithClient
{
    private static string Spec(int device) => $$"""
        { "dimension": 2, "particles": { "init": "uniform", "n": 200 }, "regularization": { "delta": 0.01 },
          "time": { "end": 0.0005, "outputs": 3 },
          "forces": { "method": "pme", "device": "opencl", "opencl": { "platform": {{OpenClTestDevice.Device.Platform}}, "device": {{device}} } },
          "seed": 3 }
        """;

    [OpenClFact]
    public async Task ForcesAndRunsUseTheDevice()
    {
        var forces = await Client.ForcesAsync(Spec(OpenClTestDevice.Device.Index));
        var parameters = forces.Parameters;
        Assert.Equal("opencl", Wait.Text(parameters, "device"));
        Assert.Equal(OpenClTestDevice.Device.Name, Wait.Text(parameters, "device_name"));
        Assert.Equal(2, forces.Velocities.Length);
        Assert.Equal(200, forces.Velocities[0].Length);

        long run = await Client.CreateRunAsync(Spec(OpenClTestDevice.Device.Index));
        await Client.SubscribeAsync(run, every: 1);
        var finished = await Wait.For(Client.AdvanceAsync(run, 0.0005));
        Assert.Equal(0.0005, finished.T);
    }

    [OpenClFact]
    public async Task AMissingDeviceIsAnInvalidSpecNamingTheField()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.ForcesAsync(Spec(99)));
        Assert.Equal(ErrorCodes.InvalidSpec, error.Code);
        Assert.StartsWith("$.forces.opencl: no OpenCL device 99", error.Error.Message, StringComparison.Ordinal);
    }
}
