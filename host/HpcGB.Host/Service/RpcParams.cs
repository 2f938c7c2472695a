using HpcGB.Client.Wire;

namespace HpcGB.Host.Service;

/// <summary>
/// The positional params of one request, read by name so that errors say which one is wrong:
/// <c>params[1] (t): expected a number, got str 'x'</c>.
/// </summary>
internal sealed class RpcParams(string method, object?[] values)
{
    public int Count => values.Length;

    public void ExpectAtMost(int count)
    {
        if (values.Length > count)
        {
            throw RpcFault.InvalidParams($"{method} takes at most {count} params, got {values.Length}");
        }
    }

    public object? Raw(int index, string name) => index < values.Length
        ? values[index]
        : throw RpcFault.InvalidParams($"params[{index}] ({name}): missing");

    public object? Optional(int index) => index < values.Length ? values[index] : null;

    public long RunId(int index = 0) => Integer(index, "run_id");

    public long Integer(int index, string name) =>
        WireValues.TryLong(Raw(index, name)) ?? throw Wrong(index, name, "an integer");

    /// <summary>A double sent as float64, float32 or an integer; must be finite.</summary>
    public double Number(int index, string name)
    {
        double value = WireValues.TryDouble(Raw(index, name)) ?? throw Wrong(index, name, "a number");
        return double.IsFinite(value) ? value : throw RpcFault.InvalidParams($"params[{index}] ({name}): must be finite, got {value}");
    }

    public string Text(int index, string name) =>
        WireValues.TryString(Raw(index, name)) ?? throw Wrong(index, name, "a string");

    public RpcFault Wrong(int index, string name, string expected) =>
        RpcFault.InvalidParams($"params[{index}] ({name}): expected {expected}, got {WireValues.Describe(Optional(index))}");
}
