using Microsoft.Extensions.Options;

namespace HpcGB.Host.Service.Methods;

/// <summary><c>subscribe(run_id, every)</c> and <c>unsubscribe(run_id)</c>: notifications about one run.</summary>
internal sealed class SubscriptionMethods(RunRegistry runs, IOptions<ServiceOptions> options) : IRpcMethodGroup
{
    private readonly ServiceOptions _options = options.Value;

    public void Register(IDictionary<string, RpcMethod> methods)
    {
        methods["subscribe"] = Subscribe;
        methods["unsubscribe"] = Unsubscribe;
    }

    /// <summary><c>progress</c> at every frame, <c>state</c> (positions) at every <c>every</c>-th frame (default 1).</summary>
    private Task<object?> Subscribe(RpcCall call)
    {
        call.Params.ExpectAtMost(2);
        var run = runs.Get(call.Params.RunId());
        long every = call.Params.Count > 1 ? call.Params.Integer(1, "every") : 1;
        if (every is < 1 or > 1_000_000)
        {
            throw RpcFault.InvalidParams($"params[1] (every): must be 1…1000000, got {every}");
        }
        run.Subscribe(new Subscriber(call.Connection, (int)every));
        return Task.FromResult<object?>(new Dictionary<string, object?>
        {
            ["run_id"] = run.Id,
            ["every"] = every,
            ["queue"] = _options.NotificationQueue,
        });
    }

    /// <summary>Ends the subscription; reports how many of its notifications were dropped.</summary>
    private Task<object?> Unsubscribe(RpcCall call)
    {
        call.Params.ExpectAtMost(1);
        var run = runs.Get(call.Params.RunId());
        var subscriber = run.Unsubscribe(call.Connection);
        return Task.FromResult<object?>(new Dictionary<string, object?>
        {
            ["run_id"] = run.Id,
            ["subscribed"] = subscriber is not null,
            ["dropped"] = subscriber?.Dropped ?? 0,
        });
    }
}
