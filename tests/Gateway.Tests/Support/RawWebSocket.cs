using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Gateway.Tests.Support;

/// <summary>
/// A WebSocket client written by hand over a <see cref="TcpClient"/>: it sends the frames no real client would
/// (oversized control frames, reserved bits, lying lengths, unmasked frames) and can stop answering pings.
/// Every read is bounded by a timeout.
/// </summary>
public sealed class RawWebSocket : IDisposable
{
    public const int Text = 0x1;
    public const int Binary = 0x2;
    public const int Continuation = 0x0;
    public const int Close = 0x8;
    public const int Ping = 0x9;
    public const int Pong = 0xA;

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RawWebSocket(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>A server frame: its opcode, whether it ends a message, its payload.</summary>
    public sealed record Frame(int Opcode, bool Fin, byte[] Payload)
    {
        public int? CloseCode => Opcode == Close && Payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(Payload) : null;
    }

    /// <summary>Opens a TCP connection and completes a valid handshake for <paramref name="path"/>; throws unless it gets 101.</summary>
    public static async Task<RawWebSocket> ConnectAsync(Uri baseAddress, string path, Action<Socket>? configure = null)
    {
        var tcp = new TcpClient();
        try
        {
            configure?.Invoke(tcp.Client);
            using var cancel = new CancellationTokenSource(WebSocketClient.Timeout);
            await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port, cancel.Token);
            var socket = new RawWebSocket(tcp);
            await socket.WriteAsync(Encoding.ASCII.GetBytes(RawHttpClient.Get(baseAddress, path,
                "Connection: Upgrade", "Upgrade: websocket", "Sec-WebSocket-Version: 13", $"Sec-WebSocket-Key: {RawHttpClient.SampleKey}")));
            var status = await socket.ReadHeadAsync();
            if (status != 101)
            {
                throw new InvalidOperationException($"The handshake for {path} answered {status}, not 101.");
            }

            return socket;
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Encodes one frame. <paramref name="declaredLength"/> lies about the payload length when set.</summary>
    public static byte[] Encode(int opcode, ReadOnlySpan<byte> payload, bool fin = true, int rsv = 0, bool mask = true, ulong? declaredLength = null)
    {
        var length = declaredLength ?? (ulong)payload.Length;
        using var frame = new MemoryStream();
        frame.WriteByte((byte)((fin ? 0x80 : 0) | ((rsv & 0x7) << 4) | (opcode & 0xF)));
        var maskBit = mask ? 0x80 : 0;
        if (length < 126)
        {
            frame.WriteByte((byte)(maskBit | (int)length));
        }
        else if (length <= ushort.MaxValue)
        {
            frame.WriteByte((byte)(maskBit | 126));
            Span<byte> extended = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(extended, (ushort)length);
            frame.Write(extended);
        }
        else
        {
            frame.WriteByte((byte)(maskBit | 127));
            Span<byte> extended = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(extended, length);
            frame.Write(extended);
        }

        var body = payload.ToArray();
        if (mask)
        {
            var key = RandomNumberGenerator.GetBytes(4);
            frame.Write(key);
            for (var i = 0; i < body.Length; i++)
            {
                body[i] ^= key[i % 4];
            }
        }

        frame.Write(body);
        return frame.ToArray();
    }

    /// <summary>A close frame's payload: the code, then the reason.</summary>
    public static byte[] ClosePayload(int code, string reason = "")
    {
        var payload = new byte[2 + Encoding.UTF8.GetByteCount(reason)];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)code);
        Encoding.UTF8.GetBytes(reason, payload.AsSpan(2));
        return payload;
    }

    public Task SendFrameAsync(int opcode, ReadOnlySpan<byte> payload, bool fin = true, int rsv = 0, bool mask = true, ulong? declaredLength = null) =>
        WriteAsync(Encode(opcode, payload, fin, rsv, mask, declaredLength));

    public Task SendTextAsync(string text) => SendFrameAsync(Text, Encoding.UTF8.GetBytes(text));

    /// <summary>Writes raw bytes; false when the server had already dropped the connection.</summary>
    public async Task<bool> TryWriteAsync(byte[] bytes)
    {
        try
        {
            await WriteAsync(bytes);
            return true;
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
    }

    public async Task WriteAsync(byte[] bytes)
    {
        using var cancel = new CancellationTokenSource(WebSocketClient.Timeout);
        await _stream.WriteAsync(bytes, cancel.Token);
    }

    /// <summary>The next frame from the server, or <see langword="null"/> when the connection ended (FIN or reset) first.</summary>
    public async Task<Frame?> ReadFrameAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? WebSocketClient.Timeout);
        try
        {
            var head = new byte[2];
            if (!await ReadExactlyAsync(head, cancel.Token))
            {
                return null;
            }

            var length = (ulong)(head[1] & 0x7F);
            if (length == 126)
            {
                var extended = new byte[2];
                if (!await ReadExactlyAsync(extended, cancel.Token))
                {
                    return null;
                }

                length = BinaryPrimitives.ReadUInt16BigEndian(extended);
            }
            else if (length == 127)
            {
                var extended = new byte[8];
                if (!await ReadExactlyAsync(extended, cancel.Token))
                {
                    return null;
                }

                length = BinaryPrimitives.ReadUInt64BigEndian(extended);
            }

            if (length > 16 * 1024 * 1024)
            {
                throw new InvalidOperationException($"The server sent a frame of {length} bytes.");
            }

            var payload = new byte[(int)length];
            if (!await ReadExactlyAsync(payload, cancel.Token))
            {
                return null;
            }

            return new Frame(head[0] & 0xF, (head[0] & 0x80) != 0, payload);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads frames (at most <paramref name="maxFrames"/>, within <paramref name="timeout"/>), dropping data and pongs,
    /// until the server's close frame: its code, or <see langword="null"/> when the connection ended without one.
    /// </summary>
    public async Task<int?> ReadCloseCodeAsync(TimeSpan? timeout = null, int maxFrames = 10_000)
    {
        var deadline = DateTime.UtcNow + (timeout ?? WebSocketClient.Timeout);
        for (var i = 0; i < maxFrames; i++)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                break;
            }

            var frame = await ReadFrameAsync(left);
            if (frame is null)
            {
                return null;
            }

            if (frame.Opcode == Close)
            {
                return frame.CloseCode ?? 1005;
            }
        }

        throw new TimeoutException("The server neither closed nor dropped the connection in time.");
    }

    /// <summary>True when the server ends the connection (FIN or reset, with or without a close frame first) within <paramref name="timeout"/>.</summary>
    public async Task<bool> IsDroppedWithinAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                if (await _stream.ReadAsync(buffer, cancel.Token) == 0)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            return true;
        }
    }

    /// <summary>Drops the connection with a TCP reset (linger 0): no close frame, no FIN.</summary>
    public void Reset()
    {
        _tcp.Client.LingerState = new LingerOption(enable: true, seconds: 0);
        _tcp.Client.Close();
    }

    public void Dispose()
    {
        _stream.Dispose();
        _tcp.Dispose();
    }

    private async Task<bool> ReadExactlyAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await _stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    private async Task<int> ReadHeadAsync()
    {
        using var cancel = new CancellationTokenSource(WebSocketClient.Timeout);
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (head.Length > 16 * 1024 || await _stream.ReadAsync(one, cancel.Token) == 0)
            {
                throw new InvalidOperationException($"No complete response head; got: {head}");
            }

            head.Append((char)one[0]);
        }

        return int.Parse(head.ToString().Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
