using System.Text;
using Akka.Actor;
using Switchboard.Actors;
using Switchboard.Gateway.Tests.Support;
using Switchboard.Routing;

namespace Switchboard.Gateway.Tests.Hostile;

/// <summary>
/// Clients that misbehave without breaking the protocol: ping floods, vanishing without a close frame (TCP reset)
/// mid-message or by the hundred. Each ends alone; its consumer hears of it; the node's bookkeeping returns to
/// where it was; a healthy client connected throughout never notices.
/// </summary>
public sealed class HostileClientTests(HostileClientTests.Server server) : IClassFixture<HostileClientTests.Server>, IAsyncLifetime
{
    private HealthyClient? _healthy;

    public async Task InitializeAsync()
    {
        _healthy = await HealthyClient.ConnectAsync(server.WebSocketBaseAddress, $"ws/echo/{ConnectionProbe.NewId()}/");
        await _healthy.EchoAsync("before");
    }

    public async Task DisposeAsync()
    {
        await _healthy!.EchoAsync("after");
        await _healthy.DisposeAsync();
        server.Logs.AssertNoUnhandledExceptions();
    }

    [Fact]
    public async Task PingFlood_ClientReadsPongs_ConnectionSurvivesAndStillEchoes()
    {
        using var socket = await RawWebSocket.ConnectAsync(server.HttpBaseAddress, $"/ws/echo/{ConnectionProbe.NewId()}/");
        const int pings = 5000;
        var flood = new List<byte>();
        for (var i = 0; i < pings; i++)
        {
            flood.AddRange(RawWebSocket.Encode(RawWebSocket.Ping, Encoding.ASCII.GetBytes($"{i}")));
        }

        var writing = socket.WriteAsync([.. flood]);
        var pongs = 0;
        while (pongs < pings && await socket.ReadFrameAsync() is { } frame)
        {
            Assert.Equal(RawWebSocket.Pong, frame.Opcode);
            pongs++;
        }

        await writing;
        Assert.Equal(pings, pongs);
        await _healthy!.EchoAsync("during the flood");
        await socket.SendTextAsync("after the flood");
        Assert.Equal("after the flood", Encoding.UTF8.GetString((await socket.ReadFrameAsync())!.Payload));
    }

    [Fact]
    public async Task PingFlood_ClientNeverReadsPongs_NodeStaysHealthyAndTheFlooderIsCleanedUp()
    {
        var id = ConnectionProbe.NewId();
        using var socket = await RawWebSocket.ConnectAsync(server.HttpBaseAddress, $"/ws/echo/{id}/", s => s.ReceiveBufferSize = 4096);
        var flood = new List<byte>();
        for (var i = 0; i < 20_000; i++)
        {
            flood.AddRange(RawWebSocket.Encode(RawWebSocket.Ping, new byte[100]));
        }

        // 2 MB of pings whose pongs are never read: the server's pongs back up, it stops reading, the write stalls.
        var writing = socket.TryWriteAsync([.. flood]);
        for (var i = 0; i < 10; i++)
        {
            await _healthy!.EchoAsync($"flooded {i}");
            await Task.Delay(100);
        }

        // Stalled, the flooder cannot answer a ping either: keep-alive drops it. Either way it ends, and alone.
        Assert.Equal(1006, await server.Probe.WaitDisconnectedAsync(id));
        await writing;
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(4321)]
    public async Task Close_WithACode_ConsumerGetsThatCodeAndTheServerEchoesIt(int code)
    {
        var id = ConnectionProbe.NewId();
        using var socket = await RawWebSocket.ConnectAsync(server.HttpBaseAddress, $"/ws/echo/{id}/");

        await socket.SendFrameAsync(RawWebSocket.Close, RawWebSocket.ClosePayload(code, "bye"));

        Assert.Equal(code, await socket.ReadCloseCodeAsync());
        Assert.Equal(code, await server.Probe.WaitDisconnectedAsync(id));
    }

    /// <summary>RFC 6455 reports an empty close frame as 1005, but .NET's WebSocket reads it as 1000 (docs/consumers.md says so).</summary>
    [Fact]
    public async Task Close_WithNoCode_ConsumerGets1000AndTheServerAnswers()
    {
        var id = ConnectionProbe.NewId();
        using var socket = await RawWebSocket.ConnectAsync(server.HttpBaseAddress, $"/ws/echo/{id}/");

        await socket.SendFrameAsync(RawWebSocket.Close, []);

        Assert.NotNull(await socket.ReadCloseCodeAsync());
        Assert.Equal(1000, await server.Probe.WaitDisconnectedAsync(id));
    }

    [Fact]
    public async Task Vanish_ResetInTheMiddleOfAFragmentedMessage_ConsumerGets1006()
    {
        var id = ConnectionProbe.NewId();
        using var socket = await RawWebSocket.ConnectAsync(server.HttpBaseAddress, $"/ws/echo/{id}/");
        await socket.SendFrameAsync(RawWebSocket.Text, "the first half "u8, fin: false);

        socket.Reset();

        Assert.Equal(1006, await server.Probe.WaitDisconnectedAsync(id));
    }

    [Fact]
    public async Task Vanish_ResetBeforeReadingTheHandshakeResponse_NothingLeaks()
    {
        var baseline = server.Node.Connections.Count;
        var consumers = await ConsumerCountAsync();
        for (var i = 0; i < 20; i++)
        {
            using var raw = await RawHttpClient.ConnectAsync(server.HttpBaseAddress);
            await raw.WriteAsync(RawHttpClient.Get(server.HttpBaseAddress, $"/ws/echo/{ConnectionProbe.NewId()}/",
                "Connection: Upgrade", "Upgrade: websocket", "Sec-WebSocket-Version: 13", $"Sec-WebSocket-Key: {RawHttpClient.SampleKey}"));
            raw.Reset();
        }

        // Some of these got as far as starting a consumer; each must have been told, and stopped.
        await Task.Delay(500);
        await WaitForConnectionCountAsync(baseline);
        for (var i = 0; i < 100 && await ConsumerCountAsync() != consumers; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(consumers, await ConsumerCountAsync());
    }

    [Fact]
    public async Task Vanish_HundredClientsResetAtOnce_AllConsumersDisconnectAndTheCountReturns()
    {
        var baseline = server.Node.Connections.Count;
        var ids = Enumerable.Range(0, 100).Select(_ => ConnectionProbe.NewId()).ToList();
        var sockets = new List<RawWebSocket>();
        try
        {
            foreach (var id in ids)
            {
                sockets.Add(await RawWebSocket.ConnectAsync(server.HttpBaseAddress, $"/ws/echo/{id}/"));
            }

            Assert.Equal(baseline + ids.Count, server.Node.Connections.Count);
            foreach (var socket in sockets)
            {
                socket.Reset();
            }

            Assert.All(await Task.WhenAll(ids.Select(server.Probe.WaitDisconnectedAsync)), code => Assert.Equal(1006, code));
            await WaitForConnectionCountAsync(baseline);
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }

    private Task<int> ConsumerCountAsync() => server.Node.Router.Ask<int>(RoutingActor.CountConnections.Instance, WebSocketClient.Timeout);

    private async Task WaitForConnectionCountAsync(int expected)
    {
        for (var i = 0; i < 200 && server.Node.Connections.Count != expected; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(expected, server.Node.Connections.Count);
    }

    public sealed class Server : GatewayServer
    {
        protected override string ConfigOverrides => """
            switchboard.websocket.keep-alive-interval = 1s
            switchboard.websocket.keep-alive-timeout = 2s
            switchboard.websocket.close-timeout = 1s
            switchboard.websocket.rate-limit.messages-per-second = 0
            """;

        protected override IApplication Application => HostileConsumers.Application;
    }
}
