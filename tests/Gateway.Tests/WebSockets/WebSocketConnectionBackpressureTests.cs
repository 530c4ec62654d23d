using System.Net.WebSockets;
using Switchboard.Actors;
using Switchboard.Actors.Consumers;
using Switchboard.Gateway.Tests.Support;
using Switchboard.Routing;

namespace Switchboard.Gateway.Tests.WebSockets;

/// <summary>A client that does not read while the consumer floods it is dropped (1008), not buffered without bound.</summary>
public sealed class WebSocketConnectionBackpressureTests(WebSocketConnectionBackpressureTests.Server server) : IClassFixture<WebSocketConnectionBackpressureTests.Server>
{
    [Fact]
    public async Task Send_ClientNeverReads_IsClosedWith1008OrAbortedAndOthersCarryOn()
    {
        await using var bystander = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, $"ws/flood/{ConnectionProbe.NewId()}/");
        var id = ConnectionProbe.NewId();
        await using var slow = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, $"ws/flood/{id}/");

        await slow.SendTextAsync("flood");

        // The server gives up on the slow client on its own, while the client still has not read a byte.
        Assert.Equal(1008, await server.Probe.WaitDisconnectedAsync(id));
        Assert.Equal("unaffected", await bystander.EchoAsync("unaffected"));

        // What reached the client before the server gave up, then a 1008 close frame or a dropped connection.
        int? closeCode = null;
        try
        {
            closeCode = (await slow.ReceiveCloseAsync(maxReads: 10_000)).Code;
        }
        catch (WebSocketException)
        {
            // Aborted: the close frame could not get past the frames the client never read.
        }

        Assert.True(closeCode is null or 1008, $"Expected 1008 or an aborted connection, got close code {closeCode}.");
        Assert.Equal("still unaffected", await bystander.EchoAsync("still unaffected"));
    }

    public sealed class Server : GatewayServer
    {
        protected override string ConfigOverrides => """
            switchboard.websocket.outbound-queue-size = 8
            switchboard.websocket.close-timeout = 1s
            """;

        protected override IApplication Application { get; } = new UrlRouter
        {
            Routes.Path("ws/flood/{id}/", Consumer.Of<FloodConsumer>()),
        };
    }

    /// <summary>On "flood", sends 4000 frames of 64 KiB (256 MiB in all) at once; echoes anything else.</summary>
    private sealed class FloodConsumer(ConnectionProbe probe) : WebSocketConsumer
    {
        private static readonly byte[] Chunk = new byte[64 * 1024];

        protected override async Task OnReceiveAsync(string? text, byte[]? bytes)
        {
            if (text != "flood")
            {
                await SendAsync(text!);
                return;
            }

            for (var i = 0; i < 4000; i++)
            {
                await SendAsync(Chunk);
            }
        }

        protected override Task OnDisconnectAsync(int code)
        {
            probe.Disconnected(Scope.UrlRoute["id"], code);
            return Task.CompletedTask;
        }
    }
}
