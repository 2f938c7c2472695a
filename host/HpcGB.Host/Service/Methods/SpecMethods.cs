using HpcGB.Client.Wire;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Initialization;
using HpcGB.Engine.Spec;
using Microsoft.Extensions.Options;

namespace HpcGB.Host.Service.Methods;

/// <summary><c>validate(spec)</c> and <c>forces(spec)</c>: no run is created.</summary>
internal sealed class SpecMethods(IOptions<ServiceOptions> options) : IRpcMethodGroup
{
    private readonly int _maxParticles = options.Value.MaxParticles;

    public void Register(IDictionary<string, RpcMethod> methods)
    {
        methods["validate"] = Validate;
        methods["forces"] = Forces;
    }

    /// <summary>The normalised spec (every default spelled out) as JSON text.</summary>
    private Task<object?> Validate(RpcCall call)
    {
        call.Params.ExpectAtMost(1);
        var spec = SpecInput.Read(call.Params.Raw(0, "spec"), _maxParticles);
        return Task.FromResult<object?>(new Dictionary<string, object?> { ["spec"] = SpecWriter.ToJson(spec, indented: false) });
    }

    /// <summary>What <c>hpcgb forces --json</c> prints: energy, velocities (n×d float64), evaluator parameters.</summary>
    private Task<object?> Forces(RpcCall call)
    {
        call.Params.ExpectAtMost(1);
        var spec = SpecInput.Read(call.Params.Raw(0, "spec"), _maxParticles);
        var state = InitialConditions.Create(spec);
        var evaluator = ForceEvaluatorFactory.Create(spec.System, spec.Forces, state.Count);
        using var native = evaluator as IDisposable; // the fast path holds FFTW plans and buffers
        var velocity = state.NewVectors();
        double energy;
        try
        {
            energy = evaluator.Evaluate(state, velocity, withEnergy: true);
        }
        catch (CollisionException collision)
        {
            throw new RpcFault(ErrorCodes.RunFailed, collision.Message);
        }
        var parameters = evaluator.Parameters.ToDictionary(
            entry => entry.Key,
            entry => entry.Value is double or int or bool ? entry.Value : (object?)Convert.ToString(entry.Value, System.Globalization.CultureInfo.InvariantCulture));
        return Task.FromResult<object?>(new Dictionary<string, object?>
        {
            ["energy"] = energy,
            ["velocities"] = NdArray.FromAxes(velocity),
            ["parameters"] = parameters,
        });
    }
}
