using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Switchboard.Bench.LoadGen;

/// <summary>
/// SignalR's JSON hub protocol on a WebSocket without negotiation: the handshake, then an awaited <c>JoinRoom</c>
/// invocation; messages go as <c>SendMessage</c> invocations and come back as <c>ReceiveMessage</c> ones. Records
/// end with 0x1E and several may share a WebSocket message.
/// </summary>
internal sealed class SignalRWireProtocol : WireProtocol
{
    private const byte RecordSeparator = 0x1e;
    private static readonly byte[] Prefix = "{\"type\":1,\"target\":\"SendMessage\",\"arguments\":[\""u8.ToArray();
    private static readonly byte[] Suffix = "\"]}\u001e"u8.ToArray();

    public override bool MessageFramed => false;

    public override Uri Address(Uri server, string room) => new(server, "chat");

    public override async Task JoinAsync(ClientWebSocket socket, string room, CancellationToken cancellationToken)
    {
        await socket.SendAsync("{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray(), WebSocketMessageType.Text, true, cancellationToken);
        var join = Encoding.UTF8.GetBytes($"{{\"type\":1,\"invocationId\":\"join\",\"target\":\"JoinRoom\",\"arguments\":[{JsonSerializer.Serialize(room)}]}}\u001e");
        await socket.SendAsync(join, WebSocketMessageType.Text, true, cancellationToken);

        var buffer = new byte[4096];
        var count = 0;
        var handshaken = false;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException($"The hub closed the connection while joining: {socket.CloseStatus} {socket.CloseStatusDescription}");
            }

            count += result.Count;
            int end;
            while ((end = Array.IndexOf(buffer, RecordSeparator, 0, count)) >= 0)
            {
                using var record = JsonDocument.Parse(buffer.AsMemory(0, end));
                buffer.AsSpan(end + 1, count - end - 1).CopyTo(buffer);
                count -= end + 1;
                var root = record.RootElement;
                if (root.TryGetProperty("error", out var error))
                {
                    throw new WebSocketException($"The hub refused: {error}");
                }

                if (!handshaken)
                {
                    handshaken = true;
                    continue;
                }

                if (root.TryGetProperty("type", out var type) && type.GetInt32() == 3 && root.GetProperty("invocationId").GetString() == "join")
                {
                    return;
                }
            }

            if (count == buffer.Length)
            {
                throw new WebSocketException("The hub's answer to the handshake is too long.");
            }
        }
    }

    public override int Encode(Payload payload, int padding, Span<byte> destination)
    {
        Prefix.CopyTo(destination);
        var length = Prefix.Length + payload.Write(destination[Prefix.Length..], padding);
        Suffix.CopyTo(destination[length..]);
        return length + Suffix.Length;
    }

    public override int Decode(ReadOnlySpan<byte> received, IRecordSink sink)
    {
        var consumed = 0;
        int end;
        while ((end = received[consumed..].IndexOf(RecordSeparator)) >= 0)
        {
            DecodeRecord(received.Slice(consumed, end), sink);
            consumed += end + 1;
        }

        return consumed;
    }

    private static void DecodeRecord(ReadOnlySpan<byte> json, IRecordSink sink)
    {
        var type = 0;
        var received = false;
        ReadOnlySpan<byte> argument = default;
        try
        {
            var reader = new Utf8JsonReader(json);
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
                {
                    continue;
                }

                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    type = reader.GetInt32();
                }
                else if (reader.ValueTextEquals("target"u8))
                {
                    reader.Read();
                    received = reader.ValueTextEquals("ReceiveMessage"u8);
                }
                else if (reader.ValueTextEquals("arguments"u8))
                {
                    reader.Read();
                    if (reader.Read() && reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
                    {
                        argument = reader.ValueSpan;
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            type = -1;
        }

        switch (type)
        {
            case 1 when received && Payload.TryParse(argument, out var payload):
                sink.OnPayload(payload);
                break;
            case 6:
                // A ping.
                break;
            default:
                sink.OnUnexpected(Encoding.UTF8.GetString(json[..Math.Min(json.Length, 200)]));
                break;
        }
    }
}
