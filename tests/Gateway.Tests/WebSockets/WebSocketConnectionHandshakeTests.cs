using System.Diagnostics;
using Switchboard.Actors;
using Switchboard.Actors.Consumers;
using Switchboard.Gateway.Tests.Support;
using Switchboard.Routing;

namespace Switchboard.Gateway.Tests.WebSockets;

/// <summary>The handshake is held until the consumer answers; each way of not accepting has its HTTP status.</summary>
public sealed class WebSocketConnectionHandshakeTests(WebSocketConnectionHandshakeTests.Server server) : IClassFixture<WebSocketConnectionHandshakeTests.Server>
{
    [Fact]
    public async Task Handshake_ConsumerAcceptsLate_CompletesOnlyAfterAccept()
    {
        var id = ConnectionProbe.NewId();
        var connecting = WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, $"ws/gated/{id}/");
        await server.Probe.WaitConnectStartedAsync(id);

        await Task.Delay(300);
        Assert.False(connecting.IsCompleted, "The handshake completed before the consumer accepted.");

        server.Probe.OpenGate(id);
        await using var client = await connecting.WaitAsync(WebSocketClient.Timeout);
        Assert.Equal("hello", await client.EchoAsync("hello"));
    }

    [Fact]
    public async Task Handshake_ConsumerChoosesSubprotocol_ClientSeesIt()
    {
        var id = ConnectionProbe.NewId();
        server.Probe.OpenGate(id);
        await using var client = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, $"ws/gated/{id}/", o =>
        {
            o.AddSubProtocol("v1.switchboard");
            o.AddSubProtocol("v2.switchboard");
        });

        Assert.Equal("v2.switchboard", client.Socket.SubProtocol);
    }

    [Fact]
    public async Task Handshake_ConsumerAcceptsWithHeaders_HeadersAreOnThe101()
    {
        var id = ConnectionProbe.NewId();
        server.Probe.OpenGate(id);
        await using var client = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, $"ws/gated/{id}/", o => o.CollectHttpResponseDetails = true);

        Assert.Equal(System.Net.HttpStatusCode.SwitchingProtocols, client.Socket.HttpStatusCode);
        var headers = client.Socket.HttpResponseHeaders!;
        Assert.True(headers.TryGetValue("X-Switchboard-Connection", out var values), "The accept header is missing from the 101 response.");
        Assert.Equal([id], values);
    }

    [Fact]
    public async Task Handshake_ConsumerClosesBeforeAccept_Is403AndConsumerStillDisconnects()
    {
        var id = ConnectionProbe.NewId();
        Assert.Equal(403, await WebSocketClient.HandshakeStatusAsync(server.WebSocketBaseAddress, $"ws/refuse/{id}/"));
        Assert.Equal(1000, await server.Probe.WaitDisconnectedAsync(id));
    }

    [Fact]
    public async Task Handshake_ConsumerThrowsInOnConnect_Is500()
    {
        Assert.Equal(500, await WebSocketClient.HandshakeStatusAsync(server.WebSocketBaseAddress, $"ws/throw/{ConnectionProbe.NewId()}/"));
    }

    [Fact]
    public async Task Handshake_ConsumerStopsBeforeAnswering_Is500NotTheTimeouts503()
    {
        // Waiting out the handshake timeout (1 s here) would answer 503: a stopped consumer is known at once.
        Assert.Equal(500, await WebSocketClient.HandshakeStatusAsync(server.WebSocketBaseAddress, $"ws/stop/{ConnectionProbe.NewId()}/"));
    }

    [Fact]
    public async Task Handshake_ConsumerNeverAnswers_Is503AfterHandshakeTimeout()
    {
        var id = ConnectionProbe.NewId();
        var clock = Stopwatch.StartNew();
        Assert.Equal(503, await WebSocketClient.HandshakeStatusAsync(server.WebSocketBaseAddress, $"ws/silent/{id}/"));
        clock.Stop();

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
        Assert.Equal(1006, await server.Probe.WaitDisconnectedAsync(id));
    }

    [Fact]
    public async Task Handshake_ApplicationNeverResolves_Is503AfterHandshakeTimeout()
    {
        Assert.Equal(503, await WebSocketClient.HandshakeStatusAsync(server.WebSocketBaseAddress, "ws/unresolved/"));
    }

    [Fact]
    public async Task Handshake_UnroutedPath_Is404()
    {
        Assert.Equal(404, await WebSocketClient.HandshakeStatusAsync(server.WebSocketBaseAddress, "ws/nowhere/"));
    }

    [Fact]
    public async Task Handshake_WithoutSecWebSocketKey_IsNotUpgradedAndStartsNoConsumer()
    {
        var id = ConnectionProbe.NewId();
        using var raw = await RawHttpClient.ConnectAsync(server.HttpBaseAddress);
        await raw.WriteAsync(RawHttpClient.Get(server.HttpBaseAddress, $"/ws/gated/{id}/",
            "Connection: Upgrade", "Upgrade: websocket", "Sec-WebSocket-Version: 13"));

        var status = await raw.ReadStatusAsync();

        Assert.InRange(status, 400, 499);
        Assert.False(server.Probe.HasConnectStarted(id), "A consumer was started for a malformed handshake.");
    }

    public sealed class Server : GatewayServer
    {
        protected override string ConfigOverrides => "switchboard.websocket.handshake-timeout = 1s";

        protected override IApplication Application { get; } = new UrlRouter
        {
            Routes.Path("ws/gated/{id}/", Consumer.Of<GatedConsumer>()),
            Routes.Path("ws/refuse/{id}/", Consumer.Of<RefusingConsumer>()),
            Routes.Path("ws/throw/{id}/", Consumer.Of<ThrowingConsumer>()),
            Routes.Path("ws/silent/{id}/", Consumer.Of<SilentConsumer>()),
            Routes.Path("ws/stop/{id}/", Consumer.Of<StoppingConsumer>()),
            Routes.Path("ws/unresolved/", new NeverResolves()),
        };
    }

    /// <summary>An application whose resolution never finishes: the routing actor never answers the gateway.</summary>
    private sealed class NeverResolves : IApplication
    {
        public ValueTask<Akka.Actor.Props> ResolveAsync(ConnectionScope scope, CancellationToken cancellationToken = default) =>
            new(new TaskCompletionSource<Akka.Actor.Props>().Task);
    }

    /// <summary>Accepts once the test opens its gate, with the last subprotocol offered and a response header.</summary>
    private sealed class GatedConsumer(ConnectionProbe probe) : WebSocketConsumer
    {
        private string Id => Scope.UrlRoute["id"];

        protected override async Task OnConnectAsync()
        {
            probe.ConnectStarted(Id);
            await probe.WaitGateAsync(Id);
            await AcceptAsync(Scope.Subprotocols.LastOrDefault(), [new("X-Switchboard-Connection", Id)]);
        }

        protected override Task OnReceiveAsync(string? text, byte[]? bytes) => text is not null ? SendAsync(text) : SendAsync(bytes!);
    }

    private sealed class RefusingConsumer(ConnectionProbe probe) : WebSocketConsumer
    {
        protected override Task OnConnectAsync() => CloseAsync();

        protected override Task OnDisconnectAsync(int code)
        {
            probe.Disconnected(Scope.UrlRoute["id"], code);
            return Task.CompletedTask;
        }
    }

    private sealed class ThrowingConsumer : WebSocketConsumer
    {
        protected override Task OnConnectAsync() => throw new InvalidOperationException("Refusing by failing.");
    }

    private sealed class SilentConsumer(ConnectionProbe probe) : WebSocketConsumer
    {
        protected override Task OnConnectAsync() => Task.CompletedTask;

        protected override Task OnDisconnectAsync(int code)
        {
            probe.Disconnected(Scope.UrlRoute["id"], code);
            return Task.CompletedTask;
        }
    }

    /// <summary>Stops its own actor while connecting, neither accepting nor closing.</summary>
    private sealed class StoppingConsumer : WebSocketConsumer
    {
        protected override Task OnConnectAsync()
        {
            Context.Stop(Self);
            return Task.CompletedTask;
        }
    }
}
