using System.Net.Sockets;
using System.Text;

namespace Switchboard.Gateway.Tests.Support;

/// <summary>A TCP client that writes HTTP by hand: for handshakes no well-behaved client would send, and for resets.</summary>
public sealed class RawHttpClient : IDisposable
{
    /// <summary>A valid Sec-WebSocket-Key (RFC 6455's sample nonce).</summary>
    public const string SampleKey = "dGhlIHNhbXBsZSBub25jZQ==";

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RawHttpClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<RawHttpClient> ConnectAsync(Uri baseAddress)
    {
        var tcp = new TcpClient();
        using var cancel = new CancellationTokenSource(WebSocketClient.Timeout);
        await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port, cancel.Token);
        return new RawHttpClient(tcp);
    }

    /// <summary>A GET for <paramref name="target"/> with the given header lines (each <c>Name: value</c>).</summary>
    public static string Get(Uri baseAddress, string target, params string[] headers) =>
        $"GET {target} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\n" + string.Concat(headers.Select(h => h + "\r\n")) + "\r\n";

    public Task WriteAsync(string request) => WriteAsync(Encoding.ASCII.GetBytes(request));

    public async Task WriteAsync(byte[] request)
    {
        using var cancel = new CancellationTokenSource(WebSocketClient.Timeout);
        await _stream.WriteAsync(request, cancel.Token);
    }

    /// <summary>
    /// Writes <paramref name="request"/> and reads the status the server answers with, or <see langword="null"/> when
    /// it dropped the connection without one (some malformed requests are refused by closing).
    /// </summary>
    public async Task<int?> TrySendAsync(byte[] request)
    {
        try
        {
            await WriteAsync(request);
        }
        catch (IOException)
        {
            // The server stopped reading and may have answered already: read what it said.
        }

        try
        {
            return await ReadStatusAsync();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Reads the response's status line and headers (not the body) and returns the status code.</summary>
    public async Task<int> ReadStatusAsync() => (await ReadHeadAsync()).Status;

    /// <summary>Reads the response's status line and headers (not the body): the status code and the whole head.</summary>
    public async Task<(int Status, string Head)> ReadHeadAsync()
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

        // "HTTP/1.1 101 Switching Protocols"
        return (int.Parse(head.ToString().Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture), head.ToString());
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
}
