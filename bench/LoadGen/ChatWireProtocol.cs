using System.Text;
using System.Text.Json;

namespace Switchboard.Bench.LoadGen;

/// <summary>samples/Chat's protocol: <c>/ws/chat/{room}/</c>, one <c>{"message": "..."}</c> per WebSocket message.</summary>
internal sealed class ChatWireProtocol : WireProtocol
{
    private static readonly byte[] Prefix = "{\"message\":\""u8.ToArray();
    private static readonly byte[] Suffix = "\"}"u8.ToArray();

    public override bool MessageFramed => true;

    public override Uri Address(Uri server, string room) => new(server, $"ws/chat/{room}/");

    public override int Encode(Payload payload, int padding, Span<byte> destination)
    {
        Prefix.CopyTo(destination);
        var length = Prefix.Length + payload.Write(destination[Prefix.Length..], padding);
        Suffix.CopyTo(destination[length..]);
        return length + Suffix.Length;
    }

    public override int Decode(ReadOnlySpan<byte> received, IRecordSink sink)
    {
        if (TryReadMessage(received, out var text) && Payload.TryParse(text, out var payload))
        {
            sink.OnPayload(payload);
        }
        else
        {
            sink.OnUnexpected(Encoding.UTF8.GetString(received[..Math.Min(received.Length, 200)]));
        }

        return received.Length;
    }

    private static bool TryReadMessage(ReadOnlySpan<byte> json, out ReadOnlySpan<byte> text)
    {
        text = default;
        try
        {
            var reader = new Utf8JsonReader(json);
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("message"u8))
                {
                    if (reader.Read() && reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
                    {
                        text = reader.ValueSpan;
                        return true;
                    }

                    return false;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: reported as unexpected.
        }

        return false;
    }
}
