using System.Net.WebSockets;
using System.Text;

namespace Switchboard.Gateway.Tests.Support;

/// <summary>A real <see cref="ClientWebSocket"/> with bounded waits (adapted from the end-to-end tests).</summary>
public sealed class WebSocketClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private WebSocketClient(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }

    public static async Task<WebSocketClient> ConnectAsync(Uri baseAddress, string path, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        try
        {
            configure?.Invoke(socket.Options);
            using var cancel = new CancellationTokenSource(Timeout);
            await socket.ConnectAsync(new Uri(baseAddress, path), cancel.Token);
            return new WebSocketClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The HTTP status the handshake ended with: 101 when it succeeded (the socket is then closed).</summary>
    public static async Task<int> HandshakeStatusAsync(Uri baseAddress, string path, Action<ClientWebSocketOptions>? configure = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        configure?.Invoke(socket.Options);
        using var cancel = new CancellationTokenSource(Timeout);
        try
        {
            await socket.ConnectAsync(new Uri(baseAddress, path), cancel.Token);
        }
        catch (WebSocketException)
        {
            return (int)socket.HttpStatusCode;
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cancel.Token);
        return 101;
    }

    public Task SendTextAsync(string text) => SendRawAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public Task SendBytesAsync(byte[] bytes) => SendRawAsync(bytes, WebSocketMessageType.Binary);

    /// <summary>Sends <paramref name="payload"/> as one frame of <paramref name="type"/>; text is not validated by the client.</summary>
    public async Task SendRawAsync(ReadOnlyMemory<byte> payload, WebSocketMessageType type, bool endOfMessage = true)
    {
        using var cancel = new CancellationTokenSource(Timeout);
        await Socket.SendAsync(payload, type, endOfMessage, cancel.Token);
    }

    /// <summary>The next message's text, or null when the server closed instead (see <see cref="Socket"/>.CloseStatus).</summary>
    public async Task<string?> ReceiveTextAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? Timeout);
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await Socket.ReceiveAsync(buffer, cancel.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.ToArray());
            }
        }
    }

    /// <summary>
    /// Reads (and drops) data until the server's close frame, at most <paramref name="maxReads"/> reads, answers it
    /// as a well-behaved client does (echoing the code), and returns its status and description.
    /// </summary>
    public async Task<(int Code, string? Reason)> ReceiveCloseAsync(TimeSpan? timeout = null, int maxReads = 1000)
    {
        using var cancel = new CancellationTokenSource(timeout ?? Timeout);
        var buffer = new byte[64 * 1024];
        for (var i = 0; i < maxReads; i++)
        {
            var result = await Socket.ReceiveAsync(buffer, cancel.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                try
                {
                    await Socket.CloseOutputAsync(result.CloseStatus!.Value, null, cancel.Token);
                }
                catch (WebSocketException)
                {
                    // The server dropped the connection right after its close frame.
                }

                return ((int)result.CloseStatus!.Value, result.CloseStatusDescription);
            }
        }

        throw new InvalidOperationException($"No close frame within {maxReads} reads.");
    }

    /// <summary>Sends <paramref name="text"/> and waits for the same text back (the echo consumers' contract).</summary>
    public async Task<string?> EchoAsync(string text)
    {
        await SendTextAsync(text);
        return await ReceiveTextAsync();
    }

    /// <summary>True when nothing arrives within <paramref name="window"/>.</summary>
    public async Task<bool> ReceivesNothingAsync(TimeSpan window)
    {
        using var cancel = new CancellationTokenSource(window);
        try
        {
            await Socket.ReceiveAsync(new byte[1024], cancel.Token);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cancel.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // The server is gone already.
            }
        }

        Socket.Dispose();
    }
}
