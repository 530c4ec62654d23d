using System.Diagnostics;
using Switchboard.Actors;
using Switchboard.Gateway.Tests.Support;

namespace Switchboard.Gateway.Tests.Hostile;

/// <summary>
/// Keep-alive pings find peers that are gone without saying so: a client that completes the handshake and then never
/// answers a ping (or never reads at all: a half-open connection) is dropped, and its consumer's OnDisconnectAsync
/// runs with 1006; a client that answers pings stays connected however idle it is.
/// </summary>
public sealed class KeepAliveTests(KeepAliveTests.Server server) : IClassFixture<KeepAliveTests.Server>
{
    [Fact]
    public async Task KeepAlive_PeerReadsButNeverAnswersPings_IsDroppedAndConsumerDisconnects()
    {
        var id = ConnectionProbe.NewId();
        using var socket = await RawWebSocket.ConnectAsync(server.HttpBaseAddress, $"/ws/echo/{id}/");
        var clock = Stopwatch.StartNew();

        // Read the server's pings and drop them, never sending a pong.
        var pings = 0;
        RawWebSocket.Frame? frame;
        while ((frame = await socket.ReadFrameAsync(TimeSpan.FromSeconds(10))) is not null && pings < 100)
        {
            pings += frame.Opcode == RawWebSocket.Ping ? 1 : 0;
        }

        Assert.True(pings >= 1, "The server sent no ping.");
        Assert.Equal(1006, await server.Probe.WaitDisconnectedAsync(id));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(8));
        await server.Logs.WaitForAsync(e => e.Message.Contains(id, StringComparison.Ordinal) && e.Message.Contains("keep-alive", StringComparison.Ordinal));
    }

    [Fact]
    public async Task KeepAlive_HalfOpenPeerNeverReadsNorWrites_IsDroppedAndConsumerDisconnects()
    {
        var id = ConnectionProbe.NewId();
        using var socket = await RawWebSocket.ConnectAsync(server.HttpBaseAddress, $"/ws/echo/{id}/");
        var clock = Stopwatch.StartNew();

        Assert.Equal(1006, await server.Probe.WaitDisconnectedAsync(id));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(8));
        Assert.True(await socket.IsDroppedWithinAsync(TimeSpan.FromSeconds(5)), "The server kept the half-open connection.");
        await server.Logs.WaitForAsync(e => e.Message.Contains(id, StringComparison.Ordinal) && e.Message.Contains("keep-alive", StringComparison.Ordinal));
    }

    [Fact]
    public async Task KeepAlive_IdleClientThatAnswersPings_StaysConnected()
    {
        var id = ConnectionProbe.NewId();
        await using var client = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, $"ws/echo/{id}/");

        // ClientWebSocket answers the server's pings by itself while a receive is pending (cancelling one would abort it).
        var receiving = client.ReceiveTextAsync(TimeSpan.FromSeconds(20));
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.False(receiving.IsCompleted, "The idle connection ended.");

        await client.SendTextAsync("still here");
        Assert.Equal("still here", await receiving);
        Assert.DoesNotContain(server.Logs.Entries, e => e.Message.Contains(id, StringComparison.Ordinal) && e.Message.Contains("keep-alive", StringComparison.Ordinal));
    }

    [Fact]
    public async Task KeepAlive_PeerStallsInsideALargeFrame_IsDropped()
    {
        var id = ConnectionProbe.NewId();
        using var socket = await RawWebSocket.ConnectAsync(server.HttpBaseAddress, $"/ws/echo/{id}/");

        // A frame that announces 1 MiB and delivers 10 bytes: no pong can come until the frame is complete.
        await socket.WriteAsync(RawWebSocket.Encode(RawWebSocket.Binary, new byte[10], declaredLength: 1024 * 1024));

        Assert.Equal(1006, await server.Probe.WaitDisconnectedAsync(id));
    }

    public sealed class Server : GatewayServer
    {
        protected override string ConfigOverrides => """
            switchboard.websocket.keep-alive-interval = 1s
            switchboard.websocket.keep-alive-timeout = 1s
            switchboard.websocket.close-timeout = 1s
            """;

        protected override IApplication Application => HostileConsumers.Application;
    }
}
