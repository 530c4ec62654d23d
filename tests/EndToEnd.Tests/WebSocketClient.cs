using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Switchboard.EndToEnd.Tests;

/// <summary>
/// A real <see cref="ClientWebSocket"/> with bounded waits, for end-to-end tests. A background loop reads every
/// message into a queue, so that waiting with a timeout never cancels (and so aborts) the socket's own receive.
/// </summary>
public sealed class WebSocketClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly Channel<string> _messages = Channel.CreateUnbounded<string>();
    private readonly TaskCompletionSource<int> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reading;

    private WebSocketClient(ClientWebSocket socket)
    {
        Socket = socket;
        _reading = ReadAsync();
    }

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

    /// <summary>The next message's text; null when the server closed (or nothing came) within the timeout.</summary>
    public async Task<string?> ReceiveTextAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? Timeout);
        try
        {
            return await _messages.Reader.ReadAsync(cancel.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            return null;
        }
    }

    public async Task<string?> ReceiveChatMessageAsync(TimeSpan? timeout = null)
    {
        var text = await ReceiveTextAsync(timeout);
        return text is null ? null : JsonDocument.Parse(text).RootElement.GetProperty("message").GetString();
    }

    /// <summary>Skips messages until the server's close frame and returns its close code (1006 if the connection dropped).</summary>
    public Task<int> ReceiveCloseCodeAsync(TimeSpan? timeout = null) => _closed.Task.WaitAsync(timeout ?? Timeout);

    /// <summary>True when nothing arrives within <paramref name="window"/>.</summary>
    public async Task<bool> ReceivesNothingAsync(TimeSpan window) => await ReceiveTextAsync(window) is null && !_closed.Task.IsCompleted;

    public async ValueTask DisposeAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancel.Token);
                await _reading.WaitAsync(TimeSpan.FromSeconds(2));
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or TimeoutException)
            {
                // The server is gone already.
            }
        }

        Socket.Abort();
        Socket.Dispose();
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await Socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _closed.TrySetResult((int)(result.CloseStatus ?? WebSocketCloseStatus.Empty));
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    _messages.Writer.TryWrite(Encoding.UTF8.GetString(message.ToArray()));
                    message.SetLength(0);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            _closed.TrySetResult(1006);
        }
        finally
        {
            _messages.Writer.TryComplete();
        }
    }
}
