using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Switchboard.EndToEnd.Tests;

/// <summary>A real <see cref="ClientWebSocket"/> with bounded waits, for end-to-end tests.</summary>
public sealed class WebSocketClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private WebSocketClient(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }

    public static async Task<WebSocketClient> ConnectAsync(Uri baseAddress, string path, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", $"http://{baseAddress.Authority}");
        configure?.Invoke(socket.Options);
        using var cancel = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(new Uri(baseAddress, path), cancel.Token);
        return new WebSocketClient(socket);
    }

    public static async Task<int?> HandshakeStatusAsync(Uri baseAddress, string path, Action<ClientWebSocketOptions>? configure = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", $"http://{baseAddress.Authority}");
        configure?.Invoke(socket.Options);
        using var cancel = new CancellationTokenSource(Timeout);
        try
        {
            await socket.ConnectAsync(new Uri(baseAddress, path), cancel.Token);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cancel.Token);
            return 101;
        }
        catch (WebSocketException)
        {
            return (int)socket.HttpStatusCode;
        }
    }

    public Task SendTextAsync(string text) => Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendJsonAsync(object value) => SendTextAsync(JsonSerializer.Serialize(value));

    public Task SendBytesAsync(byte[] bytes) => Socket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None);

    /// <summary>The next message's text, or null when the server closed instead (see <see cref="Socket"/>.CloseStatus).</summary>
    public async Task<string?> ReceiveTextAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? Timeout);
        var buffer = new byte[64 * 1024];
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

    public async Task<string?> ReceiveChatMessageAsync(TimeSpan? timeout = null)
    {
        var text = await ReceiveTextAsync(timeout);
        return text is null ? null : JsonDocument.Parse(text).RootElement.GetProperty("message").GetString();
    }

    /// <summary>Reads until the server's close frame and returns its close code.</summary>
    public async Task<int> ReceiveCloseCodeAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? Timeout);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await Socket.ReceiveAsync(buffer, cancel.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (int)result.CloseStatus!.Value;
            }
        }
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
        if (Socket.State == WebSocketState.Open)
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
