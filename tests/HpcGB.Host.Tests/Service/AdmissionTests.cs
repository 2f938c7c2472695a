using HpcGB.Client;
using HpcGB.Client.Wire;

namespace HpcGB.Host.Tests.Service;

/// <summary>
/// The memory budget and the work limit: requests that would expand, allocate or compute far beyond what they
/// cost to send are refused before anything is built, with a message naming the need and the limit.
/// </summary>
public sealed class AdmissionTests
{
    private static readonly Dictionary<string, string?> SmallBudget = new()
    {
        ["Service:MemoryBudgetBytes"] = (256L << 20).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Service:MaxMessageBytes"] = (32 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task AnInt8NdArrayOfMillionsOfParticlesIsRefusedBeforeItIsWrittenAsJson()
    {
        await using var server = await TestServer.StartAsync(SmallBudget);
        await using var client = await server.ConnectAsync();
        const int n = 4_000_000; // 12 MB on the wire; ~100 MB as JSON text, more once parsed
        var spec = new Dictionary<string, object?>
        {
            ["dimension"] = 2,
            ["particles"] = new Dictionary<string, object?>
            {
                ["positions"] = new NdArray("|i1", [n, 2], new byte[2 * n]),
                ["signs"] = new NdArray("|i1", [n], Enumerable.Repeat((byte)1, n).ToArray()),
            },
        };
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.ValidateAsync(spec));
        Assert.Equal(ErrorCodes.LimitExceeded, refused.Code);
        Assert.Contains("params[0] (spec) as JSON needs about", refused.Error.Message, StringComparison.Ordinal);
        Assert.Contains("Service:MemoryBudgetBytes", refused.Error.Message, StringComparison.Ordinal);

        // More particles than the server allows is told from the array's shape alone.
        spec["particles"] = new Dictionary<string, object?> { ["positions"] = new NdArray("|i1", [20_000_000, 1], new byte[20_000_000]) };
        spec["dimension"] = 1;
        var many = await Assert.ThrowsAsync<RpcException>(() => client.ValidateAsync(spec));
        Assert.Equal("$.particles: 20000000 particles; this server allows at most 10000000 (Service:MaxParticles)", many.Error.Message);
    }

    [Fact]
    public async Task AnNdArrayWithMoreAxesThanNumPyAllowsIsAnInvalidSpec()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        var spec = new Dictionary<string, object?>
        {
            ["dimension"] = 1,
            ["particles"] = new Dictionary<string, object?>
            {
                ["positions"] = new NdArray("<f8", Enumerable.Repeat(1, 999).ToArray(), new byte[8]),
                ["signs"] = new object?[] { 1 },
            },
        };
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.ValidateAsync(spec));
        Assert.Equal(ErrorCodes.InvalidSpec, refused.Code);
        Assert.Equal("$.particles.positions.shape: 999 axes; at most 32", refused.Error.Message);
    }

    [Fact]
    public async Task ASmallCreateRunOfTenMillionParticlesIsRefusedBeforeAnythingIsBuilt()
    {
        await using var server = await TestServer.StartAsync(SmallBudget);
        await using var client = await server.ConnectAsync();
        string spec = """{"dimension":2,"particles":{"init":"uniform","n":10000000}}""";
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.CreateRunAsync(spec));
        Assert.Equal(ErrorCodes.LimitExceeded, refused.Code);
        Assert.StartsWith("a run of 10000000 particles needs about", refused.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunsAreAdmittedUntilTheBudgetIsSpentAndDeletingOneGivesItsShareBack()
    {
        await using var server = await TestServer.StartAsync(SmallBudget);
        await using var client = await server.ConnectAsync();
        string spec = """{"dimension":2,"particles":{"init":"uniform","n":100000},"forces":{"method":"pme"}}""";
        long first = await client.CreateRunAsync(spec);
        await client.CreateRunAsync(spec);
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.CreateRunAsync(spec));
        Assert.Equal(ErrorCodes.LimitExceeded, refused.Code);
        await client.DeleteRunAsync(first);
        await client.CreateRunAsync(spec);
    }

    [Fact]
    public async Task AMessageThatWouldDecodeBeyondTheBudgetGetsAnErrorReplyAndTheConnectionGoesOn()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Service:MemoryBudgetBytes"] = (64L << 20).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Service:MaxMessageBytes"] = (16 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var raw = await RawConnection.OpenAsync(server.Port);
        const int count = 2_000_000; // 2 MB of one-byte integers: boxed objects, about 80 MB decoded
        byte[] message = [0x94, 0x00, 0x05, 0xa8, .. "validate"u8, 0x91, 0xdd, .. BitConverter.GetBytes(count).Reverse(), .. new byte[count]];
        await raw.SendAsync(message);
        var response = await raw.ResponseAsync(5);
        Assert.Equal(ErrorCodes.LimitExceeded, response.Error!.Code);
        Assert.Contains("decoded, needs about", response.Error.Message, StringComparison.Ordinal);

        await raw.SendAsync(RawConnection.Request(6, "hello"));
        Assert.Null((await raw.ResponseAsync(6)).Error);
    }

    [Fact]
    public async Task BeforeHelloATokenServerTakesOnlySmallMessages()
    {
        var settings = new Dictionary<string, string?> { ["Service:Token"] = "s3cret-token" };
        await using var server = await TestServer.StartAsync(settings);
        byte[] large = RawConnection.Request(2, "validate", new string(' ', 1 << 20) + Specs.Small());
        using (var raw = await RawConnection.OpenAsync(server.Port))
        {
            await raw.SendAsync(large);
            var response = await raw.ResponseAsync(2);
            Assert.Equal("message larger than 65536 bytes before hello with the server's token; closing", response.Error!.Message);
            Assert.True(await raw.ClosedAsync());
        }

        // After hello in the same stream, pipelined, the large message is fine.
        using var pipelined = await RawConnection.OpenAsync(server.Port);
        await pipelined.SendAsync([.. RawConnection.Request(1, "hello", new Dictionary<string, object?> { ["token"] = "s3cret-token" }), .. large]);
        Assert.Null((await pipelined.ResponseAsync(1)).Error);
        Assert.Null((await pipelined.ResponseAsync(2)).Error);
    }

    /// <summary>
    /// A client still sending a refused message (8 MB, beyond what the sockets buffer) completes its send and reads
    /// the refusal: the server reads on and discards until the client closes, instead of resetting the connection.
    /// </summary>
    [Fact]
    public async Task AClientStillSendingARefusedMessageGetsTheRefusal()
    {
        var settings = new Dictionary<string, string?> { ["Service:Token"] = "s3cret-token" };
        await using var server = await TestServer.StartAsync(settings);
        using var raw = await RawConnection.OpenAsync(server.Port);
        await raw.SendAsync(RawConnection.Request(2, "validate", new string(' ', 8 << 20)));
        var response = await raw.ResponseAsync(2);
        Assert.Equal("message larger than 65536 bytes before hello with the server's token; closing", response.Error!.Message);
        Assert.True(await raw.ClosedAsync());
    }

    [Theory]
    [InlineData("""{"dimension":2,"regularization":{"type":"poisson","delta":1e-5},"particles":{"init":"uniform","n":100}}""",
        "2D poisson reference by Fourier sums")]
    [InlineData("""{"dimension":2,"particles":{"init":"uniform","n":100000},"forces":{"method":"reference"}}""",
        "reference pair sums over 100000 particles")]
    public async Task AForceEvaluationBeyondTheWorkLimitIsRefusedBeforeItStarts(string spec, string why)
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        foreach (var call in new Func<Task>[] { () => client.ForcesAsync(spec), () => client.CreateRunAsync(spec) })
        {
            var refused = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(ErrorCodes.LimitExceeded, refused.Code);
            Assert.StartsWith("$.forces: one force evaluation would cost about", refused.Error.Message, StringComparison.Ordinal);
            Assert.Contains(why, refused.Error.Message, StringComparison.Ordinal);
            Assert.Contains("Service:MaxEvaluationWork", refused.Error.Message, StringComparison.Ordinal);
        }
    }
}
