using HpcGB.Engine.Forces;
using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Forces.OpenCl;
using HpcGB.Engine.Forces.Reference;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;
using HpcGB.Engine.Tests.Forces;
using HpcGB.Tests.Shared;

namespace HpcGB.Engine.Tests.OpenCl;

/// <summary>
/// What is particular to the device evaluator (its accuracy and consistency run in the shared fast-path bodies):
/// collisions, buffers kept across evaluations and resized with n, signs re-uploaded when they change, and the
/// factory's device selection.
/// </summary>
public class OpenClEvaluatorTests
{
    [OpenClFact]
    public void CollisionUnderNoneNamesBothParticles()
    {
        var model = TestSystems.Model(2, KernelType.Edge, RegularizationType.None, 0.01);
        var state = TestSystems.RandomWithDipole(2, 300, 0.01, seed: 4);
        state.Positions[0][217] = state.Positions[0][31] + 1.0; // the same point in another image
        state.Positions[1][217] = state.Positions[1][31];
        using var evaluator = Create(model, state.Count, 1e-6);
        var error = Assert.Throws<CollisionException>(() => evaluator.Evaluate(state, state.NewVectors(), withEnergy: false));
        Assert.Equal((31, 217), (error.First, error.Second));
    }

    [OpenClFact]
    public void BuffersFollowTheParticleCountAndSignsAreUploadedWhenTheyChange()
    {
        var model = TestSystems.Model(2, KernelType.Log, RegularizationType.Gaussian, 1e-3);
        var large = TestSystems.RandomWithDipole(2, 900, 1e-3, seed: 2);
        var small = TestSystems.RandomWithDipole(2, 500, 1e-3, seed: 3);
        var parameters = EwaldParameterChooser.Choose(model, 700, 1e-6);
        using var reused = new OpenClEwaldEvaluator(model, parameters, OpenClTestDevice.Device);
        reused.Evaluate(large, large.NewVectors(), withEnergy: true);
        var flipped = new ParticleState(small.Positions, small.Signs.Select(b => (sbyte)-b).ToArray());
        foreach (var state in new[] { small, flipped, large })
        {
            using var fresh = new OpenClEwaldEvaluator(model, parameters, OpenClTestDevice.Device);
            var expected = state.NewVectors();
            var actual = state.NewVectors();
            double expectedEnergy = fresh.Evaluate(state, expected, withEnergy: true);
            double actualEnergy = reused.Evaluate(state, actual, withEnergy: true);
            Assert.Equal(expectedEnergy, actualEnergy);
            Assert.Equal(expected[0], actual[0]);
            Assert.Equal(expected[1], actual[1]);
        }
    }

    [OpenClFact]
    public void FactoryRunsDeviceOpenClAndReportsTheDevice()
    {
        var model = TestSystems.Model(1, KernelType.Log, RegularizationType.None, 0.01);
        var device = OpenClTestDevice.Device;
        var forces = new ForcesSpec(ForceMethod.Auto, 1e-6, Device: ForceDevice.OpenCl, OpenCl: new OpenClChoice(device.Platform, device.Index));
        using var evaluator = (OpenClEwaldEvaluator)ForceEvaluatorFactory.Create(model, forces, 50);
        Assert.Equal("opencl", evaluator.Parameters["device"]);
        Assert.Equal(device.Name, evaluator.Parameters["device_name"]);
        Assert.Equal(device.Driver, evaluator.Parameters["device_driver"]);
    }

    [OpenClFact]
    public void FactoryRefusesAMissingDeviceNamingTheField()
    {
        var model = TestSystems.Model(2, KernelType.Log, RegularizationType.None, 0.01);
        var forces = new ForcesSpec(ForceMethod.Pme, 1e-6, Device: ForceDevice.OpenCl, OpenCl: new OpenClChoice(0, 255));
        var error = Assert.Throws<SpecException>(() => ForceEvaluatorFactory.Create(model, forces, 1000));
        Assert.Equal("$.forces.opencl", error.Path);
        Assert.Contains("no OpenCL device 255", error.Reason);
    }

    [Fact]
    public void FactoryKeepsTheCpuForDeviceCpuAndForAutoBelowTheCrossover()
    {
        var model = TestSystems.Model(2, KernelType.Log, RegularizationType.None, 0.01);
        foreach (var device in new[] { ForceDevice.Cpu, ForceDevice.Auto })
        {
            using var evaluator = (EwaldEvaluator)ForceEvaluatorFactory.Create(model, new ForcesSpec(ForceMethod.Pme, 1e-6, Device: device), 1000);
            Assert.Equal("cpu", evaluator.Parameters["device"]);
        }
        var error = Assert.Throws<SpecException>(() => ForceEvaluatorFactory.Create(
            model, new ForcesSpec(ForceMethod.Reference, 1e-6, Device: ForceDevice.OpenCl), 1000));
        Assert.Equal("$.forces.device", error.Path);
    }

    [Fact]
    public void FactoryGivesAutoOnDeviceOpenClTheCpuReferenceWhereTheCaseHasNoFastPath()
    {
        var model = TestSystems.Model(2, KernelType.Log, RegularizationType.Poisson, 0.01);
        var evaluator = ForceEvaluatorFactory.Create(model, new ForcesSpec(ForceMethod.Auto, 1e-6, Device: ForceDevice.OpenCl), 1000);
        Assert.IsType<FourierSeriesEvaluator>(evaluator);
        var error = Assert.Throws<SpecException>(() => ForceEvaluatorFactory.Create(
            model, new ForcesSpec(ForceMethod.Pme, 1e-6, Device: ForceDevice.OpenCl), 1000));
        Assert.Equal("$.forces.method", error.Path);
    }

    private static OpenClEwaldEvaluator Create(SystemModel model, int n, double tolerance) =>
        new(model, EwaldParameterChooser.Choose(model, n, tolerance), OpenClTestDevice.Device);
}
