using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace Switchboard.Gateway.Tests.Support;

/// <summary>
/// A well-behaved client that stays connected while a test attacks the server: it always has a receive pending (so
/// it answers keep-alive pings however short they are configured), and checks that what it receives is what it
/// expects, in order.
/// </summary>
public sealed class HealthyClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Channel<string> _received = Channel.CreateUnbounded<string>();
    private readonly Task _reading;

    private HealthyClient(ClientWebSocket socket)
    {
        _socket = socket;
        _reading = Task.Run(ReadAsync);
    }

    public static async Task<HealthyClient> ConnectAsync(Uri baseAddress, string path)
    {
        var socket = new ClientWebSocket();
        try
        {
            using var cancel = new CancellationTokenSource(WebSocketClient.Timeout);
            await socket.ConnectAsync(new Uri(baseAddress, path), cancel.Token);
            return new HealthyClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task SendAsync(string text)
    {
        using var cancel = new CancellationTokenSource(WebSocketClient.Timeout);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, cancel.Token);
    }

    /// <summary>The next text message; throws when the connection ended or nothing came within the timeout.</summary>
    public async Task<string> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? WebSocketClient.Timeout);
        try
        {
            return await _received.Reader.ReadAsync(cancel.Token);
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"The healthy client's connection ended: {_socket.CloseStatus} {_socket.CloseStatusDescription}.");
        }
    }

    /// <summary>Sends <paramref name="text"/> and asserts that the very next message is the same text.</summary>
    public async Task EchoAsync(string text)
    {
        await SendAsync(text);
        Assert.Equal(text, await ReceiveAsync());
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancel.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // The server is gone already.
            }
        }

        await Task.WhenAny(_reading, Task.Delay(TimeSpan.FromSeconds(3)));
        _socket.Abort();
        await _reading;
        _socket.Dispose();
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    _received.Writer.TryWrite(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
                    message.SetLength(0);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Aborted at dispose, or the server dropped the connection: ReceiveAsync reports it.
        }
        finally
        {
            _received.Writer.TryComplete();
        }
    }
}
