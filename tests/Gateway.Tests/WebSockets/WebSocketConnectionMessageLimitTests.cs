using System.Net.WebSockets;
using Switchboard.Actors;
using Switchboard.Actors.Consumers;
using Switchboard.Gateway.Tests.Support;
using Switchboard.Routing;

namespace Switchboard.Gateway.Tests.WebSockets;

/// <summary>Messages over max-message-size close with 1009 however they are fragmented; invalid UTF-8 closes with 1007.</summary>
public sealed class WebSocketConnectionMessageLimitTests(WebSocketConnectionMessageLimitTests.Server server) : IClassFixture<WebSocketConnectionMessageLimitTests.Server>
{
    private const int Limit = 1024;

    [Fact]
    public async Task Receive_MessageExactlyAtLimit_IsDelivered()
    {
        await using var client = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, "ws/echo/");
        var text = new string('a', Limit);
        Assert.Equal(text, await client.EchoAsync(text));
    }

    [Fact]
    public async Task Receive_OneFrameOverLimit_ClosesWith1009AndOthersCarryOn()
    {
        await using var bystander = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, "ws/echo/");
        var id = ConnectionProbe.NewId();
        await using var client = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, $"ws/echo/{id}/");

        await client.SendTextAsync(new string('x', Limit + 1));

        Assert.Equal(1009, (await client.ReceiveCloseAsync()).Code);
        Assert.Equal(1009, await server.Probe.WaitDisconnectedAsync(id));
        Assert.Equal("still here", await bystander.EchoAsync("still here"));
    }

    [Fact]
    public async Task Receive_ManySmallFragmentsOverLimit_ClosesWith1009()
    {
        var id = ConnectionProbe.NewId();
        await using var client = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, $"ws/echo/{id}/");
        var fragment = new byte[16];
        Array.Fill(fragment, (byte)'f');

        // 200 x 16 bytes = 3200 bytes in one message, no fragment near the limit on its own. The server may close
        // while fragments are still going out; a send that fails after its close is part of the expected outcome.
        try
        {
            for (var i = 0; i < 200; i++)
            {
                await client.SendRawAsync(fragment, WebSocketMessageType.Binary, endOfMessage: i == 199);
            }
        }
        catch (WebSocketException)
        {
        }

        Assert.Equal(1009, (await client.ReceiveCloseAsync()).Code);
        Assert.Equal(1009, await server.Probe.WaitDisconnectedAsync(id));
    }

    [Fact]
    public async Task Receive_FrameAnnouncingMoreThanItSends_ClosesWith1009OnceOverLimit()
    {
        var id = ConnectionProbe.NewId();
        using var socket = await RawWebSocket.ConnectAsync(server.HttpBaseAddress, $"/ws/echo/{id}/");

        // The header announces 1 MiB; only a little more than the limit follows, and then nothing.
        await socket.WriteAsync(RawWebSocket.Encode(RawWebSocket.Binary, new byte[Limit + 10], declaredLength: 1024 * 1024));

        Assert.Equal(1009, await socket.ReadCloseCodeAsync(TimeSpan.FromSeconds(3)));

        // The client cannot answer inside its unfinished frame: the server gives up after close-timeout.
        Assert.Equal(1009, await server.Probe.WaitDisconnectedAsync(id));
    }

    [Fact]
    public async Task Receive_InvalidUtf8InTextFrame_ClosesWith1007()
    {
        await using var client = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, "ws/echo/");

        // ClientWebSocket does not validate outgoing text: 0xC3 0x28 is an invalid two-byte sequence, 0xFF never valid.
        await client.SendRawAsync(new byte[] { (byte)'o', (byte)'k', 0xC3, 0x28, 0xFF }, WebSocketMessageType.Text);

        Assert.Equal(1007, (await client.ReceiveCloseAsync()).Code);
    }

    [Fact]
    public async Task Receive_InvalidUtf8SplitAcrossFragments_ClosesWith1007()
    {
        await using var client = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, "ws/echo/");

        // A valid prefix of a 3-byte sequence ends the first fragment; the continuation is not a continuation byte.
        await client.SendRawAsync(new byte[] { (byte)'a', 0xE2, 0x82 }, WebSocketMessageType.Text, endOfMessage: false);
        await client.SendRawAsync(new byte[] { (byte)'b' }, WebSocketMessageType.Text, endOfMessage: true);

        Assert.Equal(1007, (await client.ReceiveCloseAsync()).Code);
    }

    public sealed class Server : GatewayServer
    {
        protected override string ConfigOverrides => """
            switchboard.websocket.max-message-size = 1KiB
            switchboard.websocket.close-timeout = 1s
            """;

        protected override IApplication Application { get; } = new UrlRouter
        {
            Routes.Path("ws/echo/", Consumer.Of<EchoConsumer>()),
            Routes.Path("ws/echo/{id}/", Consumer.Of<EchoConsumer>()),
        };
    }

    private sealed class EchoConsumer(ConnectionProbe probe) : WebSocketConsumer
    {
        protected override Task OnReceiveAsync(string? text, byte[]? bytes) => text is not null ? SendAsync(text) : SendAsync(bytes!);

        protected override Task OnDisconnectAsync(int code)
        {
            if (Scope.UrlRoute.Kwargs.ContainsKey("id"))
            {
                probe.Disconnected(Scope.UrlRoute["id"], code);
            }

            return Task.CompletedTask;
        }
    }
}
