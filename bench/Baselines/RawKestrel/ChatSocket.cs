using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;

namespace Switchboard.Bench.RawKestrel;

/// <summary>
/// One client: a receive loop that parses each <c>{"message": "..."}</c> and broadcasts it to the room (encoded
/// once for everyone), and a send loop draining a bounded queue; a client that lets it fill is closed with 1008.
/// </summary>
internal sealed class ChatSocket
{
    private const int QueueSize = 1024;
    private const int MaxMessageSize = 1024 * 1024;
    private readonly Channel<ReadOnlyMemory<byte>> _outbound = Channel.CreateBounded<ReadOnlyMemory<byte>>(
        new BoundedChannelOptions(QueueSize) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly CancellationTokenSource _abort = new();
    private volatile bool _tooSlow;

    public static async Task ServeAsync(HttpContext context, Rooms rooms, string roomName)
    {
        var client = new ChatSocket();
        var room = rooms.Join(roomName, client);
        try
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var sending = client.SendLoopAsync(socket);
            await client.ReceiveLoopAsync(socket, room);
            client._outbound.Writer.TryComplete();
            await sending;
        }
        finally
        {
            rooms.Leave(room, client);
            client._abort.Dispose();
        }
    }

    private void Enqueue(ReadOnlyMemory<byte> frame)
    {
        if (!_outbound.Writer.TryWrite(frame) && !_tooSlow)
        {
            _tooSlow = true;
            _outbound.Writer.TryComplete();
        }
    }

    private async Task ReceiveLoopAsync(WebSocket socket, Room room)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        var count = 0;
        try
        {
            while (true)
            {
                if (count == buffer.Length)
                {
                    if (count >= MaxMessageSize)
                    {
                        await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, "Message too big.", CancellationToken.None);
                        return;
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, count).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var result = await socket.ReceiveAsync(buffer.AsMemory(count), _abort.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (socket.State == WebSocketState.CloseReceived)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    }

                    return;
                }

                count += result.Count;
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var frame = Encode(buffer.AsSpan(0, count));
                count = 0;
                if (frame is null)
                {
                    await socket.CloseAsync((WebSocketCloseStatus)4400, "Expected {\"message\": \"...\"}.", CancellationToken.None);
                    return;
                }

                foreach (var member in room.Members)
                {
                    member.Enqueue(frame);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The client went away.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The <c>{"message": ...}</c> frame every member gets, or null when the input is not such an object.</summary>
    private static byte[]? Encode(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            string? message = null;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isMessage = reader.ValueTextEquals("message"u8);
                reader.Read();
                if (isMessage && reader.TokenType == JsonTokenType.String)
                {
                    message = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }

            if (message is null)
            {
                return null;
            }

            var output = new ArrayBufferWriter<byte>(message.Length + 16);
            using (var writer = new Utf8JsonWriter(output))
            {
                writer.WriteStartObject();
                writer.WriteString("message"u8, message);
                writer.WriteEndObject();
            }

            return output.WrittenSpan.ToArray();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task SendLoopAsync(WebSocket socket)
    {
        try
        {
            await foreach (var frame in _outbound.Reader.ReadAllAsync(_abort.Token))
            {
                await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, _abort.Token);
            }

            if (_tooSlow && socket.State == WebSocketState.Open)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "Too slow.", CancellationToken.None);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The client went away; the receive loop ends too.
        }
        finally
        {
            await _abort.CancelAsync();
        }
    }
}
