using System.Globalization;
using Microsoft.Extensions.Logging;
using Switchboard.Actors;
using Switchboard.Gateway.Tests.Hostile;
using Switchboard.Gateway.Tests.Support;

namespace Switchboard.Gateway.Tests.WebSockets;

/// <summary>The inbound rate limit: a client under it is served; one over it is closed with 1008, logged, alone.</summary>
public sealed class WebSocketConnectionRateLimitTests(WebSocketConnectionRateLimitTests.Server server) : IClassFixture<WebSocketConnectionRateLimitTests.Server>
{
    [Fact]
    public async Task Receive_SteadilyUnderTheRate_EveryMessageIsServed()
    {
        await using var client = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, $"ws/echo/{ConnectionProbe.NewId()}/");

        // 40 messages at most 40 per second, against 50 per second with a burst of 5.
        for (var i = 0; i < 40; i++)
        {
            var text = i.ToString(CultureInfo.InvariantCulture);
            Assert.Equal(text, await client.EchoAsync(text));
            await Task.Delay(25);
        }
    }

    [Fact]
    public async Task Receive_FloodOverTheLimit_ClosesWith1008AndLogsTheConnection()
    {
        await using var bystander = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, $"ws/echo/{ConnectionProbe.NewId()}/");
        var id = ConnectionProbe.NewId();
        using var flooder = await RawWebSocket.ConnectAsync(server.HttpBaseAddress, $"/ws/echo/{id}/");

        var flood = new List<byte>();
        for (var i = 0; i < 200; i++)
        {
            flood.AddRange(RawWebSocket.Encode(RawWebSocket.Text, "x"u8));
        }

        await flooder.TryWriteAsync([.. flood]);

        Assert.Equal(1008, await flooder.ReadCloseCodeAsync());
        flooder.Dispose();
        Assert.Equal(1008, await server.Probe.WaitDisconnectedAsync(id));
        var logged = await server.Logs.WaitForAsync(e => e.Message.Contains(id, StringComparison.Ordinal) && e.Message.Contains("faster than its limit", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, logged.Level);
        Assert.Equal("unaffected", await bystander.EchoAsync("unaffected"));
    }

    [Fact]
    public async Task Receive_EmptyFragmentsWithoutEnd_CountAgainstTheLimit()
    {
        var id = ConnectionProbe.NewId();
        using var socket = await RawWebSocket.ConnectAsync(server.HttpBaseAddress, $"/ws/echo/{id}/");

        // A message that never ends and never grows: without counting, it would cost reads for ever.
        var fragments = new List<byte>(RawWebSocket.Encode(RawWebSocket.Binary, [], fin: false));
        for (var i = 0; i < 200; i++)
        {
            fragments.AddRange(RawWebSocket.Encode(RawWebSocket.Continuation, [], fin: false));
        }

        await socket.TryWriteAsync([.. fragments]);

        Assert.Equal(1008, await socket.ReadCloseCodeAsync());
    }

    public sealed class Server : GatewayServer
    {
        protected override string ConfigOverrides => """
            switchboard.websocket.rate-limit { messages-per-second = 50, burst = 5 }
            switchboard.websocket.close-timeout = 1s
            """;

        protected override IApplication Application => HostileConsumers.Application;
    }
}
