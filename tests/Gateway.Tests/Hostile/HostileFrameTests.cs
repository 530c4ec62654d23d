using System.Text;
using Switchboard.Actors;
using Switchboard.Gateway.Tests.Support;

namespace Switchboard.Gateway.Tests.Hostile;

/// <summary>
/// Frames that break RFC 6455, sent by hand over TCP after a valid handshake: the connection is closed with a
/// protocol-error (1002), invalid-payload (1007) or too-big (1009) close frame, or dropped; its consumer hears of it;
/// the node logs it and a healthy client on the same server never notices.
/// </summary>
public sealed class HostileFrameTests(HostileFrameTests.Server server) : IClassFixture<HostileFrameTests.Server>, IAsyncLifetime
{
    private const int Limit = 4096;

    private WebSocketClient? _healthy;

    public static TheoryData<string> ProtocolErrors => [.. Frames.Keys];

    /// <summary>Each case: the bytes sent after the handshake, and the close codes the server may answer with.</summary>
    private static readonly Dictionary<string, (Func<byte[]> Bytes, int[] Codes)> Frames = new()
    {
        ["ping of 126 bytes"] = (() => RawWebSocket.Encode(RawWebSocket.Ping, new byte[126]), [1002]),
        ["pong of 64 KiB"] = (() => RawWebSocket.Encode(RawWebSocket.Pong, new byte[65535]), [1002]),
        ["close of 200 bytes"] = (() => RawWebSocket.Encode(RawWebSocket.Close, RawWebSocket.ClosePayload(1000, new string('r', 198))), [1002]),
        ["fragmented ping"] = (() => RawWebSocket.Encode(RawWebSocket.Ping, "a"u8, fin: false), [1002]),
        ["unmasked text, then a masked one"] = (() => [.. RawWebSocket.Encode(RawWebSocket.Text, "hi"u8, mask: false), .. RawWebSocket.Encode(RawWebSocket.Text, "there"u8)], [1002]),
        ["reserved bit 1 without an extension"] = (() => RawWebSocket.Encode(RawWebSocket.Text, "hi"u8, rsv: 4), [1002]),
        ["reserved bits 2 and 3"] = (() => RawWebSocket.Encode(RawWebSocket.Binary, "hi"u8, rsv: 3), [1002]),
        ["opcode 3"] = (() => RawWebSocket.Encode(3, "hi"u8), [1002]),
        ["opcode 0xB"] = (() => RawWebSocket.Encode(0xB, "hi"u8), [1002]),
        ["continuation without a start"] = (() => RawWebSocket.Encode(RawWebSocket.Continuation, "hi"u8), [1002]),
        ["new message inside a fragmented one"] = (() => [.. RawWebSocket.Encode(RawWebSocket.Text, "a"u8, fin: false), .. RawWebSocket.Encode(RawWebSocket.Text, "b"u8)], [1002]),
        ["close with a one-byte payload"] = (() => RawWebSocket.Encode(RawWebSocket.Close, [0x03]), [1002]),
        ["close with code 999"] = (() => RawWebSocket.Encode(RawWebSocket.Close, RawWebSocket.ClosePayload(999)), [1002]),
        ["close with code 1005"] = (() => RawWebSocket.Encode(RawWebSocket.Close, RawWebSocket.ClosePayload(1005)), [1002]),
        ["close with code 1006"] = (() => RawWebSocket.Encode(RawWebSocket.Close, RawWebSocket.ClosePayload(1006)), [1002]),
        ["close with code 5000"] = (() => RawWebSocket.Encode(RawWebSocket.Close, RawWebSocket.ClosePayload(5000)), [1002]),
        ["close with an invalid UTF-8 reason"] = (() => RawWebSocket.Encode(RawWebSocket.Close, [0x03, 0xE8, 0xC3, 0x28]), [1002, 1007]),
        ["length with the top bit set"] = (() => RawWebSocket.Encode(RawWebSocket.Binary, "hi"u8, declaredLength: 0x8000_0000_0000_0002), [1002, 1009]),
        ["length of 2^62 bytes"] = (() => RawWebSocket.Encode(RawWebSocket.Binary, new byte[Limit + 100], declaredLength: 1UL << 62), [1009]),
        ["invalid UTF-8 text"] = (() => RawWebSocket.Encode(RawWebSocket.Text, [0x6F, 0x6B, 0xC3, 0x28, 0xFF]), [1007]),
        ["overlong UTF-8 encoding of '/'"] = (() => RawWebSocket.Encode(RawWebSocket.Text, [0xC0, 0xAF]), [1007]),
        ["UTF-16 surrogate in UTF-8"] = (() => RawWebSocket.Encode(RawWebSocket.Text, [0xED, 0xA0, 0x80]), [1007]),
        ["one frame over the size limit"] = (() => RawWebSocket.Encode(RawWebSocket.Binary, new byte[Limit + 1]), [1009]),
        ["a thousand fragments over the size limit"] = (() => Fragments(1000, 16), [1009]),
    };

    public async Task InitializeAsync()
    {
        _healthy = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, $"ws/echo/{ConnectionProbe.NewId()}/");
        Assert.Equal("before", await _healthy.EchoAsync("before"));
    }

    public async Task DisposeAsync()
    {
        Assert.Equal("after", await _healthy!.EchoAsync("after"));
        await _healthy.DisposeAsync();
        server.Logs.AssertNoUnhandledExceptions();
    }

    [Theory]
    [MemberData(nameof(ProtocolErrors))]
    public async Task Receive_BrokenFrame_ClosesOrDropsOnlyThatConnection(string name)
    {
        var id = ConnectionProbe.NewId();
        using var socket = await RawWebSocket.ConnectAsync(server.HttpBaseAddress, $"/ws/echo/{id}/");
        await socket.SendTextAsync("fine so far");
        Assert.Equal("fine so far", Encoding.UTF8.GetString((await socket.ReadFrameAsync())!.Payload));

        var (bytes, codes) = Frames[name];
        await socket.TryWriteAsync(bytes());
        var code = await socket.ReadCloseCodeAsync();
        socket.Dispose();

        Assert.True(code is null || codes.Contains(code.Value), $"'{name}' was closed with {code}, expected one of {string.Join(", ", codes)} or a dropped connection.");

        // The client hears 1002, 1007 or 1009; the consumer hears what the server closed with, or 1006 when the
        // WebSocket itself refused the frame (the client sent no close frame), as under Daphne.
        var disconnect = await server.Probe.WaitDisconnectedAsync(id);
        Assert.True(disconnect == 1006 || codes.Contains(disconnect), $"The consumer was told {disconnect}.");
        var logged = await server.Logs.WaitForAsync(e => e.Message.Contains(id, StringComparison.Ordinal) && e.Message.Contains("broke the protocol", StringComparison.Ordinal) || e.Message.Contains(id, StringComparison.Ordinal) && e.Message.Contains("closing with", StringComparison.Ordinal));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Information, logged.Level);
        Assert.Equal(name, await _healthy!.EchoAsync(name));
    }

    [Fact]
    public async Task Receive_NonMinimalLength_IsDeliveredAsDotNetTolerates()
    {
        // RFC 6455 asks for the shortest length form; .NET's WebSocket accepts a longer one. Harmless: the frame is
        // delivered like any other, and the limits still apply to it.
        using var socket = await RawWebSocket.ConnectAsync(server.HttpBaseAddress, $"/ws/echo/{ConnectionProbe.NewId()}/");

        await socket.WriteAsync([0x81, 0x80 | 126, 0x00, 0x02, 0, 0, 0, 0, (byte)'h', (byte)'i']);

        Assert.Equal("hi", Encoding.UTF8.GetString((await socket.ReadFrameAsync())!.Payload));
    }

    private static byte[] Fragments(int count, int size)
    {
        var fragments = new List<byte>();
        for (var i = 0; i < count; i++)
        {
            fragments.AddRange(RawWebSocket.Encode(i == 0 ? RawWebSocket.Binary : RawWebSocket.Continuation, new byte[size], fin: i == count - 1));
        }

        return [.. fragments];
    }

    public sealed class Server : GatewayServer
    {
        protected override string ConfigOverrides => $"""
            switchboard.websocket.max-message-size = {Limit}
            switchboard.websocket.close-timeout = 1s
            """;

        protected override IApplication Application => HostileConsumers.Application;
    }
}
