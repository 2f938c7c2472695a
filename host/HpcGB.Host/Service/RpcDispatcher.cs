using HpcGB.Client.Wire;
using HpcGB.Engine.Spec;
using Microsoft.Extensions.Logging;

namespace HpcGB.Host.Service;

/// <summary>
/// Routes a request to its method and turns the outcome into the encoded response: the result, or
/// <c>[code, message]</c> for an <see cref="RpcFault"/>, a <see cref="SpecException"/> (<c>$.path: reason</c>) or a bug.
/// </summary>
internal sealed class RpcDispatcher
{
    private readonly Dictionary<string, RpcMethod> _methods = new(StringComparer.Ordinal);
    private readonly ILogger<RpcDispatcher> _logger;

    public RpcDispatcher(IEnumerable<IRpcMethodGroup> groups, ILogger<RpcDispatcher> logger)
    {
        _logger = logger;
        foreach (var group in groups)
        {
            group.Register(_methods);
        }
    }

    /// <summary>The protocol's methods, in the order docs/protocol.md lists them.</summary>
    public static string[] MethodNames { get; } =
    [
        "hello", "validate", "forces", "create_run", "start", "advance", "pause", "get_state", "subscribe",
        "unsubscribe", "cancel", "checkpoint", "restore", "list_runs", "delete_run",
    ];

    public async Task<byte[]> HandleAsync(RpcConnection connection, RpcRequest request)
    {
        RpcError error;
        using var call = new RpcCall(connection, new RpcParams(request.Method, request.Params));
        try
        {
            if (!_methods.TryGetValue(request.Method, out var method))
            {
                throw new RpcFault(ErrorCodes.UnknownMethod, $"method: no method {WireValues.Describe(request.Method)}; available: {string.Join(", ", MethodNames)}");
            }
            if (!connection.Authenticated && request.Method != "hello")
            {
                throw new RpcFault(ErrorCodes.Unauthorized, $"{WireValues.Clip(request.Method)}: send hello with the server's token first");
            }
            object? result = await method(call).ConfigureAwait(false);
            return Response(request.MsgId, null, result);
        }
        catch (OperationCanceledException) when (connection.Aborted.IsCancellationRequested)
        {
            // Nobody is left to read it; the reply is written nowhere.
            _logger.LogInformation("{Method} (msgid {MsgId}) cancelled: its connection closed", WireValues.Clip(request.Method), request.MsgId);
            error = new RpcError(ErrorCodes.Internal, $"{WireValues.Clip(request.Method)}: cancelled, the connection closed");
        }
        catch (RpcFault fault)
        {
            error = fault.ToError();
        }
        catch (SpecException spec)
        {
            error = new RpcError(ErrorCodes.InvalidSpec, $"{spec.Path}: {spec.Reason}");
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "{Method} (msgid {MsgId}) failed", WireValues.Clip(request.Method), request.MsgId);
            error = new RpcError(ErrorCodes.Internal, $"{WireValues.Clip(request.Method)}: unexpected {ex.GetType().Name}: {ex.Message}");
        }
        return Response(request.MsgId, error, null);
    }

    public static byte[] Response(uint msgId, RpcError? error, object? result) =>
        WireWriter.ToBytes(buffer => WireWriter.WriteResponse(buffer, msgId, error, result));
}
