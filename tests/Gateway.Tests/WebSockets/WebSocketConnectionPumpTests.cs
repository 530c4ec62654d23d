using System.Globalization;
using System.Net.WebSockets;
using Switchboard.Actors;
using Switchboard.Actors.Consumers;
using Switchboard.Gateway.Tests.Support;
using Switchboard.Routing;

namespace Switchboard.Gateway.Tests.WebSockets;

/// <summary>Frames flow both ways in order; every way a connection ends reaches the consumer (or the client) with its code.</summary>
public sealed class WebSocketConnectionPumpTests(WebSocketConnectionPumpTests.Server server) : IClassFixture<WebSocketConnectionPumpTests.Server>
{
    [Fact]
    public async Task Pump_FiveHundredNumberedMessages_AllComeBackInOrder()
    {
        const int count = 500;
        await using var client = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, $"ws/probe/{ConnectionProbe.NewId()}/");

        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < count; i++)
            {
                await client.SendTextAsync(i.ToString(CultureInfo.InvariantCulture));
            }
        });
        var received = new List<string?>(count);
        for (var i = 0; i < count; i++)
        {
            received.Add(await client.ReceiveTextAsync());
        }

        await sending.WaitAsync(WebSocketClient.Timeout);
        Assert.Equal(Enumerable.Range(0, count).Select(i => i.ToString(CultureInfo.InvariantCulture)), received);
    }

    [Fact]
    public async Task Pump_MessagesLargerThanTheReceiveBuffer_ComeBackWholeAndSmallOnesStillWork()
    {
        // The receive buffer starts small and grows for a large message; up to 4 KiB it is kept for the next one (which
        // may be larger, smaller, or exactly fill it), above that or after a small message it shrinks back.
        await using var client = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, $"ws/probe/{ConnectionProbe.NewId()}/");

        foreach (var length in new[] { 10, 255, 256, 257, 1_000, 1_000, 600, 2_000, 4_000, 4_096, 4_097, 300, 5_000, 70_000, 10, 300, 1 })
        {
            var text = string.Concat(Enumerable.Range(0, length).Select(i => i % 7 == 0 ? 'é' : (char)('a' + (i % 26))));
            Assert.Equal(text, await client.EchoAsync(text));
        }
    }

    [Fact]
    public async Task Send_BurstOfFramesFromOneHandlerThenClose_AllArriveInOrderBeforeTheClose()
    {
        var id = ConnectionProbe.NewId();
        await using var client = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, $"ws/probe/{id}/");

        await client.SendTextAsync("burst");

        for (var i = 0; i < ProbeConsumer.BurstSize; i++)
        {
            Assert.Equal(i.ToString(CultureInfo.InvariantCulture), await client.ReceiveTextAsync());
        }

        Assert.Equal((4000, "Done here."), await client.ReceiveCloseAsync());
        Assert.Equal(4000, await server.Probe.WaitDisconnectedAsync(id));
    }

    [Fact]
    public async Task Receive_ConsumerThrows_ClosesOnlyItsSocketWith1011()
    {
        await using var bystander = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, $"ws/probe/{ConnectionProbe.NewId()}/");
        var id = ConnectionProbe.NewId();
        await using var failing = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, $"ws/probe/{id}/");
        Assert.Equal("before", await bystander.EchoAsync("before"));

        await failing.SendTextAsync("throw");

        Assert.Equal(1011, (await failing.ReceiveCloseAsync()).Code);
        Assert.Equal(1011, await server.Probe.WaitDisconnectedAsync(id));
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal($"after {i}", await bystander.EchoAsync($"after {i}"));
        }
    }

    [Theory]
    [InlineData(WebSocketCloseStatus.NormalClosure, 1000)]
    [InlineData((WebSocketCloseStatus)4001, 4001)]
    public async Task Disconnect_ClientClosesWithCode_ConsumerGetsThatCode(WebSocketCloseStatus status, int expected)
    {
        var id = ConnectionProbe.NewId();
        await using var client = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, $"ws/probe/{id}/");

        using var cancel = new CancellationTokenSource(WebSocketClient.Timeout);
        await client.Socket.CloseAsync(status, "bye", cancel.Token);

        Assert.Equal(expected, await server.Probe.WaitDisconnectedAsync(id));
    }

    [Fact]
    public async Task Disconnect_ClientAbortsWithoutCloseFrame_ConsumerGets1006()
    {
        var id = ConnectionProbe.NewId();
        await using var client = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, $"ws/probe/{id}/");
        Assert.Equal("hi", await client.EchoAsync("hi"));

        client.Socket.Abort();

        Assert.Equal(1006, await server.Probe.WaitDisconnectedAsync(id));
    }

    [Fact]
    public async Task Disconnect_TcpResetAfterHandshake_ConsumerGets1006()
    {
        var id = ConnectionProbe.NewId();
        using var raw = await RawHttpClient.ConnectAsync(server.HttpBaseAddress);
        await raw.WriteAsync(RawHttpClient.Get(server.HttpBaseAddress, $"/ws/probe/{id}/",
            "Connection: Upgrade", "Upgrade: websocket", "Sec-WebSocket-Version: 13", $"Sec-WebSocket-Key: {RawHttpClient.SampleKey}"));
        Assert.Equal(101, await raw.ReadStatusAsync());

        raw.Reset();

        Assert.Equal(1006, await server.Probe.WaitDisconnectedAsync(id));
    }

    [Fact]
    public async Task Close_ConsumerClosesWithCodeAndReason_ClientSeesBoth()
    {
        var id = ConnectionProbe.NewId();
        await using var client = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, $"ws/probe/{id}/");

        await client.SendTextAsync("close");

        Assert.Equal((4000, "Done here."), await client.ReceiveCloseAsync());
        Assert.Equal(4000, await server.Probe.WaitDisconnectedAsync(id));
    }

    [Fact]
    public async Task Close_ClientResetsInsteadOfAnsweringConsumersClose_ConsumerGetsItsOwnCode()
    {
        var id = ConnectionProbe.NewId();
        using var socket = await RawWebSocket.ConnectAsync(server.HttpBaseAddress, $"/ws/probe/{id}/");
        await socket.SendTextAsync("close");
        Assert.Equal(4000, await socket.ReadCloseCodeAsync());

        socket.Reset();

        Assert.Equal(4000, await server.Probe.WaitDisconnectedAsync(id));
    }

    public sealed class Server : GatewayServer
    {
        // The ordering test sends 500 messages as fast as it can: far over the default rate limit.
        protected override string ConfigOverrides => "switchboard.websocket.rate-limit.messages-per-second = 0";

        protected override IApplication Application { get; } = new UrlRouter
        {
            Routes.Path("ws/probe/{id}/", Consumer.Of<ProbeConsumer>()),
        };
    }

    /// <summary>Echoes, except "throw" (fails), "close" (closes with 4000) and "burst" (numbered frames, then closes); reports its disconnect code.</summary>
    private sealed class ProbeConsumer(ConnectionProbe probe) : WebSocketConsumer
    {
        public const int BurstSize = 300;

        protected override Task OnReceiveAsync(string? text, byte[]? bytes) => text switch
        {
            "throw" => throw new InvalidOperationException("A consumer bug."),
            "close" => CloseAsync(4000, "Done here."),
            "burst" => BurstAsync(),
            null => SendAsync(bytes!),
            _ => SendAsync(text),
        };

        private async Task BurstAsync()
        {
            for (var i = 0; i < BurstSize; i++)
            {
                await SendAsync(i.ToString(CultureInfo.InvariantCulture));
            }

            await CloseAsync(4000, "Done here.");
        }

        protected override Task OnDisconnectAsync(int code)
        {
            probe.Disconnected(Scope.UrlRoute["id"], code);
            return Task.CompletedTask;
        }
    }
}
