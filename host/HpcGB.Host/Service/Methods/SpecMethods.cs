using HpcGB.Client.Wire;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Initialization;
using HpcGB.Engine.Spec;
using Microsoft.Extensions.Options;

namespace HpcGB.Host.Service.Methods;

/// <summary>
/// <c>validate(spec)</c> and <c>forces(spec)</c>: no run is created. <c>forces</c> is admitted only if its memory fits
/// the budget and its work <see cref="ServiceOptions.MaxEvaluationWork"/>, and stops when its connection goes away.
/// </summary>
internal sealed class SpecMethods(IOptions<ServiceOptions> options, MemoryBudget budget) : IRpcMethodGroup
{
    private readonly ServiceOptions _options = options.Value;

    public void Register(IDictionary<string, RpcMethod> methods)
    {
        methods["validate"] = Validate;
        methods["forces"] = Forces;
    }

    /// <summary>The normalised spec (every default spelled out) as JSON text.</summary>
    private Task<object?> Validate(RpcCall call)
    {
        call.Params.ExpectAtMost(1);
        var spec = SpecInput.Read(call.Params.Raw(0, "spec"), _options.MaxParticles, budget);
        // The normalised text: about 50 characters per explicit particle, as UTF-16 and again encoded.
        call.Keep(budget.Reserve(65536 + 200 * AdmissionCost.Particles(spec.Particles), "the normalised spec"));
        return Task.FromResult<object?>(new Dictionary<string, object?> { ["spec"] = SpecWriter.ToJson(spec, indented: false) });
    }

    /// <summary>What <c>hpcgb forces --json</c> prints: energy, velocities (n×d float64), evaluator parameters.</summary>
    private Task<object?> Forces(RpcCall call)
    {
        call.Params.ExpectAtMost(1);
        var spec = SpecInput.Read(call.Params.Raw(0, "spec"), _options.MaxParticles, budget);
        long n = AdmissionCost.Particles(spec.Particles);
        try
        {
            AdmissionCost.CheckWork(spec, n, _options.MaxEvaluationWork, "this server's limit (Service:MaxEvaluationWork)");
        }
        catch (SpecException ex)
        {
            throw new RpcFault(ErrorCodes.LimitExceeded, $"{ex.Path}: {ex.Reason}");
        }
        call.Keep(budget.Reserve(AdmissionCost.Forces(spec, n), $"forces for {n} particles"));
        var state = InitialConditions.Create(spec);
        var evaluator = ForceEvaluatorFactory.Create(spec.System, spec.Forces, state.Count);
        using var native = evaluator as IDisposable; // the fast path holds FFTW plans and buffers
        var velocity = state.NewVectors();
        double energy;
        try
        {
            energy = evaluator.Evaluate(state, velocity, withEnergy: true, call.Connection.Aborted);
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
