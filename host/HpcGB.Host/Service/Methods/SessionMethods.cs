using System.Security.Cryptography;
using System.Text;
using HpcGB.Client.Wire;
using HpcGB.Engine.Integrators;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;
using HpcGB.Host.Output;
using Microsoft.Extensions.Options;

namespace HpcGB.Host.Service.Methods;

/// <summary>
/// <c>hello</c>: versions, capabilities, and the token check when a token is configured. Wrong tokens are slowed
/// down server-wide (answered one at a time, <see cref="WrongTokenDelay"/> apart, so at most 10 guesses a second
/// whatever the number of connections) and a connection is closed after <see cref="MaxWrongTokens"/> of them.
/// </summary>
internal sealed class SessionMethods(IOptions<ServiceOptions> options, WorkerPool workers) : IRpcMethodGroup
{
    /// <summary>Bumped on any incompatible change of docs/protocol.md.</summary>
    public const int ProtocolVersion = 1;

    /// <summary>Wrong tokens one connection may send before it is closed.</summary>
    public const int MaxWrongTokens = 3;

    public static readonly TimeSpan WrongTokenDelay = TimeSpan.FromMilliseconds(100);

    private readonly ServiceOptions _options = options.Value;
    private readonly SemaphoreSlim _wrongTokens = new(1, 1);

    /// <summary>One instance of every integrator the engine offers (with default settings), asked what it supports.</summary>
    private static readonly IIntegrator[] Integrators = Enum.GetValues<IntegratorType>().Select(Sample).OfType<IIntegrator>().ToArray();

    public void Register(IDictionary<string, RpcMethod> methods) => methods["hello"] = Hello;

    private async Task<object?> Hello(RpcCall call)
    {
        call.Params.ExpectAtMost(1);
        if (_options.Token is { Length: > 0 } expected)
        {
            string? token = call.Params.Optional(0) switch
            {
                IDictionary<object, object?> map when WireValues.TryGet(map, "token", out object? value) => WireValues.TryString(value),
                var other => WireValues.TryString(other),
            };
            if (token is null || !TokensEqual(token, expected))
            {
                await Penalize(call.Connection).ConfigureAwait(false);
                throw new RpcFault(ErrorCodes.Unauthorized, "params[0] (token): missing or wrong token");
            }
            call.Connection.Authenticated = true;
        }
        return new Dictionary<string, object?>
        {
            ["server"] = "hpcgb",
            ["protocol"] = ProtocolVersion,
            ["engine"] = EngineInfo.Version,
            ["capabilities"] = new Dictionary<string, object?>
            {
                ["methods"] = RpcDispatcher.MethodNames,
                ["notifications"] = new[] { "progress", "state", "finished", "failed", "cancelled", "shutdown" },
                ["arrays"] = "msgpack-numpy",
                ["dtypes"] = new[] { "<f8", "<f4", "|i1", "|u1", "<i2", "<i4", "<i8" },
                ["integrators"] = Integrators.Select(i => i.Name).ToArray(),
                ["checkpointable_integrators"] = Integrators.Where(i => i is IResumableIntegrator).Select(i => i.Name).ToArray(),
                ["max_message_bytes"] = _options.MaxMessageBytes,
                ["max_depth"] = _options.MaxDepth,
                ["max_particles"] = _options.MaxParticles,
                ["max_runs_per_connection"] = _options.MaxRunsPerConnection,
                ["workers"] = workers.Workers,
                ["memory_budget_bytes"] = _options.MemoryBudgetBytes,
                ["max_evaluation_work"] = _options.MaxEvaluationWork,
            },
        };
    }

    /// <summary>Delays the answer to a wrong token (one at a time across the server) and closes the connection
    /// after its <see cref="MaxWrongTokens"/>-th.</summary>
    private async Task Penalize(RpcConnection connection)
    {
        await _wrongTokens.WaitAsync(connection.Aborted).ConfigureAwait(false);
        try
        {
            await Task.Delay(WrongTokenDelay, connection.Aborted).ConfigureAwait(false);
        }
        finally
        {
            _wrongTokens.Release();
        }
        if (connection.WrongToken() >= MaxWrongTokens)
        {
            connection.Close($"{MaxWrongTokens} wrong tokens; closing");
        }
    }

    private static IIntegrator? Sample(IntegratorType type)
    {
        var model = new SystemModel(
            1, KernelType.Log, MobilityType.Isotropic, new Regularization(RegularizationType.Gaussian, 0.01), ExternalPotential.None(1));
        try
        {
            return IntegratorFactory.Create(TimeSpec.Default with { Integrator = type }, model);
        }
        catch (Exception ex) when (ex is SpecException or ArgumentException or NotSupportedException)
        {
            return null; // needs settings the defaults do not give; not advertised
        }
    }

    /// <summary>Constant-time comparison of the SHA-256 digests, so neither content nor length leaks by timing.</summary>
    private static bool TokensEqual(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
