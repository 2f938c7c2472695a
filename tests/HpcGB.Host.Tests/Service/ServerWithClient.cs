using HpcGB.Client;

namespace HpcGB.Host.Tests.Service;

/// <summary>Tests that each get a fresh in-process server and one connected client, both disposed afterwards.</summary>
public abstract class ServerWithClient : IAsyncLifetime
{
    protected TestServer Server { get; private set; } = null!;

    protected HpcgbClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync();
        Client = await Server.ConnectAsync();
    }

    public async Task DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
    }
}
