using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Switchboard.Actors;
using Switchboard.Gateway.Tests.Support;

namespace Switchboard.Gateway.Tests.Hostile;

/// <summary>
/// A property-based attack: FsCheck generates hundreds of connections, each a random handshake (valid, with random
/// header lines, or plain garbage) followed by random frames (any opcode, reserved bits, masked or not, lying lengths,
/// fragments, garbage) and a random way of leaving (close frame, FIN, reset). Throughout, a healthy client sends
/// numbered messages through an echo consumer. The node must never crash (no unhandled or unobserved exception, no
/// unhandled-exception log), its memory must stay bounded, every attacker must be cleaned up, and the healthy
/// client must get every message back, in order.
/// </summary>
public sealed class RandomInputPropertyTests(RandomInputPropertyTests.Server server) : IClassFixture<RandomInputPropertyTests.Server>
{
    private const int Attacks = 600;
    private const long MemoryBound = 200L * 1024 * 1024;
    private static readonly string[] Paths = ["/ws/echo/", "/ws/echo/{id}/", "/ws/json/{id}/", "/ws/room/fuzz/{id}/", "/ws/names/{id}/", "/nowhere/", "/ws/%zz/", "/ws/../x"];

    private enum Ending
    {
        CloseFrame,
        Fin,
        Reset,
    }

    [Fact]
    public async Task RandomHandshakesAndFrames_NodeSurvivesAndTheHealthyClientGetsEverythingInOrder()
    {
        var unhandled = new ConcurrentQueue<string>();
        UnhandledExceptionEventHandler onUnhandled = (_, e) => unhandled.Enqueue($"unhandled: {e.ExceptionObject}");
        EventHandler<UnobservedTaskExceptionEventArgs> onUnobserved = (_, e) => unhandled.Enqueue($"unobserved: {e.Exception}");
        AppDomain.CurrentDomain.UnhandledException += onUnhandled;
        TaskScheduler.UnobservedTaskException += onUnobserved;
        try
        {
            await using var healthy = await HealthyClient.ConnectAsync(server.WebSocketBaseAddress, $"ws/echo/{ConnectionProbe.NewId()}/");
            await healthy.EchoAsync("warm-up");
            var baseline = server.Node.Connections.Count;
            var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);

            using var stop = new CancellationTokenSource();
            var talking = TalkAsync(healthy, stop.Token);

            // Blocking the property on each attack is fine here: it runs on a pool thread, not the test's context.
            await Task.Run(() => Check.One(
                Config.QuickThrowOnFailure.WithMaxTest(Attacks).WithQuietOnSuccess(true),
                Prop.ForAll(Arb.From(AttackGen), attack => AttackAsync(attack).GetAwaiter().GetResult())));

            await stop.CancelAsync();
            var echoed = await talking;
            Assert.True(echoed > 50, $"The healthy client only got {echoed} messages through during the attack.");
            await healthy.EchoAsync("after the attack");

            // Every attacker is gone: the stalled ones within keep-alive, the rest at once.
            for (var i = 0; i < 200 && server.Node.Connections.Count != baseline; i++)
            {
                await Task.Delay(50);
            }

            Assert.Equal(baseline, server.Node.Connections.Count);
            var memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
            Assert.True(memoryAfter - memoryBefore < MemoryBound, $"Memory grew from {memoryBefore:N0} to {memoryAfter:N0} bytes.");

            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            Assert.True(unhandled.IsEmpty, string.Join("\n", unhandled.Take(3)));
            server.Logs.AssertNoUnhandledExceptions();
        }
        finally
        {
            AppDomain.CurrentDomain.UnhandledException -= onUnhandled;
            TaskScheduler.UnobservedTaskException -= onUnobserved;
        }
    }

    /// <summary>Sends numbered messages (about 30 a second, under the rate limit) until stopped; each must come back next, in order.</summary>
    private static async Task<int> TalkAsync(HealthyClient healthy, CancellationToken stop)
    {
        var n = 0;
        while (!stop.IsCancellationRequested)
        {
            await healthy.EchoAsync($"healthy {n.ToString(CultureInfo.InvariantCulture)}");
            n++;
            try
            {
                await Task.Delay(30, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return n;
    }

    private async Task AttackAsync(Attack attack)
    {
        using var tcp = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await tcp.ConnectAsync(server.HttpBaseAddress.Host, server.HttpBaseAddress.Port, timeout.Token);
            var stream = tcp.GetStream();
            var request = attack.Request(server.HttpBaseAddress.Authority, ConnectionProbe.NewId());
            await stream.WriteAsync(request, timeout.Token);
            if (attack.ValidHandshake)
            {
                // Let the consumer accept, so that the frames reach a live WebSocket (101, or a 4xx for a bad path).
                await ReadSomeAsync(stream, TimeSpan.FromSeconds(2), untilHeadEnds: true);
            }

            await stream.WriteAsync(attack.Frames, timeout.Token);
            await ReadSomeAsync(stream, TimeSpan.FromMilliseconds(20), untilHeadEnds: false);
            switch (attack.Ending)
            {
                case Ending.CloseFrame:
                    await stream.WriteAsync(RawWebSocket.Encode(RawWebSocket.Close, RawWebSocket.ClosePayload(1000)), timeout.Token);
                    tcp.Client.Shutdown(SocketShutdown.Send);
                    break;
                case Ending.Fin:
                    tcp.Client.Shutdown(SocketShutdown.Send);
                    break;
                case Ending.Reset:
                    tcp.Client.LingerState = new LingerOption(enable: true, seconds: 0);
                    break;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The server dropped us: an outcome, not a failure of the property.
        }
    }

    private static async Task ReadSomeAsync(NetworkStream stream, TimeSpan window, bool untilHeadEnds)
    {
        using var cancel = new CancellationTokenSource(window);
        var buffer = new byte[16 * 1024];
        var head = new StringBuilder();
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancel.Token)) > 0)
            {
                if (untilHeadEnds && head.Append(Encoding.Latin1.GetString(buffer, 0, read)).ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Nothing more within the window.
        }
    }

    private sealed record Attack(string Path, string[] HeaderLines, bool ValidHandshake, byte[] Garbage, byte[] Frames, Ending Ending)
    {
        public byte[] Request(string authority, string id)
        {
            if (Garbage.Length > 0)
            {
                return Garbage;
            }

            var head = new StringBuilder($"GET {Path.Replace("{id}", id, StringComparison.Ordinal)} HTTP/1.1\r\nHost: {authority}\r\n");
            if (ValidHandshake)
            {
                head.Append($"Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {RawHttpClient.SampleKey}\r\n");
            }

            foreach (var line in HeaderLines)
            {
                head.Append(line).Append("\r\n");
            }

            return Encoding.Latin1.GetBytes(head.Append("\r\n").ToString());
        }

        public override string ToString() =>
            $"{(Garbage.Length > 0 ? $"{Garbage.Length} garbage bytes" : $"{(ValidHandshake ? "handshake" : "request")} {Path} with [{string.Join(" | ", HeaderLines)}]")}, {Frames.Length} bytes of frames: {Convert.ToHexString(Frames.AsSpan(0, Math.Min(64, Frames.Length)))}, ending {Ending}";
    }

    private static Gen<byte> AnyByte => Gen.Choose(0, 255).Select(b => (byte)b);

    private static Gen<byte[]> BytesUpTo(int max) => Gen.Choose(0, max).SelectMany(n => Gen.ArrayOf(AnyByte, n));

    private static Gen<byte[]> Utf8UpTo(int max) =>
        Gen.Choose(0, max).SelectMany(n => Gen.ArrayOf(Gen.Elements('a', 'z', ' ', '{', '}', '"', ':', 'é', '€', '\u0000', '\ud83d', '\ude00'), n))
            .Select(chars => Encoding.UTF8.GetBytes(new string(chars)));

    private static Gen<byte[]> FrameGen =>
        from opcode in Gen.Frequency((6, Gen.Elements(RawWebSocket.Text, RawWebSocket.Binary, RawWebSocket.Continuation)), (2, Gen.Elements(RawWebSocket.Close, RawWebSocket.Ping, RawWebSocket.Pong)), (1, Gen.Choose(0, 15)))
        from fin in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false)))
        from rsv in Gen.Frequency((8, Gen.Constant(0)), (1, Gen.Choose(0, 7)))
        from masked in Gen.Frequency((9, Gen.Constant(true)), (1, Gen.Constant(false)))
        from payload in Gen.Frequency((4, BytesUpTo(64)), (4, Utf8UpTo(64)), (1, BytesUpTo(400)), (1, Gen.Constant(new byte[70_000])))
        from lie in Gen.Frequency((9, Gen.Constant<ulong?>(null)), (1, Gen.Elements<ulong?>(0, 1, 125, 126, 65_536, 1UL << 40, ulong.MaxValue)))
        select RawWebSocket.Encode(opcode, payload, fin, rsv, masked, lie);

    private static Gen<byte[]> FramesGen =>
        Gen.Frequency(
            (8, Gen.Choose(0, 20).SelectMany(n => Gen.ArrayOf(FrameGen, n)).Select(frames => frames.SelectMany(f => f).ToArray())),
            (1, BytesUpTo(2000)));

    private static Gen<string> HeaderLineGen =>
        Gen.Frequency(
            (3, Gen.Elements("Sec-WebSocket-Protocol: a, b, c", "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits", "Origin: http://evil.example", "Cookie: a=1; b=%zz", "Sec-WebSocket-Version: 8", "Sec-WebSocket-Key: AAAA", "Upgrade: h2c", "Connection: close", "Transfer-Encoding: chunked", "Content-Length: 5", "Expect: 100-continue")),
            (2, from name in Gen.Elements("X-A", "Sec-WebSocket-Protocol", "Cookie", "Host", "Authorization", "X_Under", "")
                from value in Gen.Choose(0, 300).SelectMany(n => Gen.ArrayOf(Gen.Choose(1, 255).Select(c => (char)c), n))
                select $"{name}: {new string(value).Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal)}"),
            (1, Gen.Constant("X-Long: " + new string('l', 20_000))));

    private static Gen<Attack> AttackGen =>
        from path in Gen.Elements(Paths)
        from valid in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false)))
        from headers in Gen.Frequency((3, Gen.Constant(Array.Empty<string>())), (1, Gen.Choose(1, 5).SelectMany(n => Gen.ArrayOf(HeaderLineGen, n))))
        from garbage in Gen.Frequency((9, Gen.Constant(Array.Empty<byte>())), (1, BytesUpTo(3000).Where(b => b.Length > 0)))
        from frames in FramesGen
        from ending in Gen.Elements(Ending.CloseFrame, Ending.Fin, Ending.Reset)
        select new Attack(path, headers, valid, garbage, frames, ending);

    public sealed class Server : GatewayServer
    {
        protected override string ConfigOverrides => """
            switchboard.websocket.max-message-size = 64KiB
            switchboard.websocket.keep-alive-interval = 1s
            switchboard.websocket.keep-alive-timeout = 2s
            switchboard.websocket.close-timeout = 1s
            switchboard.websocket.handshake-timeout = 2s
            """;

        protected override IApplication Application => HostileConsumers.Application;
    }
}

