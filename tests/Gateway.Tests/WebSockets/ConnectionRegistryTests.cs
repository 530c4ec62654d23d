using Switchboard.Actors;
using Switchboard.Actors.Consumers;
using Switchboard.Gateway.Tests.Support;
using Switchboard.Routing;

namespace Switchboard.Gateway.Tests.WebSockets;

/// <summary>The node's open sockets: capped by max-connections, closed with 1001 when the host stops.</summary>
public sealed class ConnectionRegistryTests(ConnectionRegistryTests.LimitedServer server) : IClassFixture<ConnectionRegistryTests.LimitedServer>
{
    private static readonly IApplication EchoApplication = new UrlRouter
    {
        Routes.Path("ws/echo/{id}/", Consumer.Of<EchoConsumer>()),
    };

    [Fact]
    public async Task Handshake_BeyondMaxConnections_Is503UntilOneCloses()
    {
        await using var first = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, $"ws/echo/{ConnectionProbe.NewId()}/");
        var secondId = ConnectionProbe.NewId();
        var second = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, $"ws/echo/{secondId}/");

        Assert.Equal(503, await WebSocketClient.HandshakeStatusAsync(server.WebSocketBaseAddress, $"ws/echo/{ConnectionProbe.NewId()}/"));
        Assert.Equal("first", await first.EchoAsync("first"));

        await second.DisposeAsync();
        await server.Probe.WaitDisconnectedAsync(secondId);
        var status = 0;
        for (var attempt = 0; attempt < 50 && status != 101; attempt++)
        {
            // The slot is released when the closed connection's request ends, just after its consumer heard of it.
            status = await WebSocketClient.HandshakeStatusAsync(server.WebSocketBaseAddress, $"ws/echo/{ConnectionProbe.NewId()}/");
            if (status != 101)
            {
                await Task.Delay(50);
            }
        }

        Assert.Equal(101, status);
    }

    [Fact]
    public async Task Shutdown_OpenSocket_IsClosedWith1001AndConsumerDisconnects()
    {
        var (shutdownServer, client, id) = await StartWithOpenSocketAsync("ws/echo");
        await using var _ = client;
        var probe = shutdownServer.Probe;

        var closing = client.ReceiveCloseAsync();
        await shutdownServer.DisposeAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(1001, (await closing).Code);
        Assert.Equal(1001, await probe.WaitDisconnectedAsync(id));
    }

    [Fact]
    public async Task Shutdown_OnDisconnectAsyncStillAwaiting_HostStopWaitsForItToFinish()
    {
        var (shutdownServer, client, id) = await StartWithOpenSocketAsync("ws/slow");
        await using var _ = client;
        var probe = shutdownServer.Probe;

        await shutdownServer.DisposeAsync().WaitAsync(TimeSpan.FromSeconds(20));

        // The hook was still in its delay when the sockets closed; the actor system was shut down only after it finished.
        Assert.True(probe.HasDisconnected(id), "The host stopped before the consumer's OnDisconnectAsync finished.");
        Assert.Equal(1001, await probe.WaitDisconnectedAsync(id));
    }

    /// <summary>A server of its own (the test stops it) with one open socket on <paramref name="route"/> that has answered.</summary>
    private static async Task<(ShutdownServer Server, WebSocketClient Client, string Id)> StartWithOpenSocketAsync(string route)
    {
        var server = new ShutdownServer();
        await server.InitializeAsync();
        var id = ConnectionProbe.NewId();
        var client = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, $"{route}/{id}/");
        Assert.Equal("up", await client.EchoAsync("up"));
        return (server, client, id);
    }

    public sealed class LimitedServer : GatewayServer
    {
        protected override string ConfigOverrides => "switchboard.websocket.max-connections = 2";

        protected override IApplication Application => EchoApplication;
    }

    private sealed class ShutdownServer : GatewayServer
    {
        protected override IApplication Application => new UrlRouter
        {
            Routes.Path("ws/echo/{id}/", Consumer.Of<EchoConsumer>()),
            Routes.Path("ws/slow/{id}/", Consumer.Of<SlowDisconnectConsumer>()),
        };
    }

    /// <summary>Echoes; on disconnect, works a while (as one that saves state would) before it reports.</summary>
    private sealed class SlowDisconnectConsumer(ConnectionProbe probe) : WebSocketConsumer
    {
        protected override Task OnReceiveAsync(string? text, byte[]? bytes) => SendAsync(text ?? "");

        protected override async Task OnDisconnectAsync(int code)
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            probe.Disconnected(Scope.UrlRoute["id"], code);
        }
    }

    private sealed class EchoConsumer(ConnectionProbe probe) : WebSocketConsumer
    {
        protected override Task OnReceiveAsync(string? text, byte[]? bytes) => text is not null ? SendAsync(text) : SendAsync(bytes!);

        protected override Task OnDisconnectAsync(int code)
        {
            probe.Disconnected(Scope.UrlRoute["id"], code);
            return Task.CompletedTask;
        }
    }
}
