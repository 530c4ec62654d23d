using System.Buffers;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Switchboard.Actors.Protocol;

namespace Switchboard.Bench.Micro;

/// <summary>
/// One chat message through the frame paths: the consumer's JSON encode (what <c>JsonWebSocketConsumer.SendJsonAsync</c>
/// does once per group message: serialize to UTF-8, keep the text for the <see cref="SendFrame"/>), the gateway's UTF-8
/// encode of a text frame that carries no pre-encoded bytes, and the inbound decode (the gateway's strict UTF-8 decode into
/// a <see cref="FrameReceived"/>, then <c>JsonWebSocketConsumer</c>'s parse into a <see cref="JsonElement"/> and the chat
/// consumer's read of <c>message</c>).
/// </summary>
[MemoryDiagnoser]
public class FrameBenchmarks
{
    private static readonly JsonSerializerOptions WebOptions = new(JsonSerializerDefaults.Web);
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private BenchChatMessage _message = null!;
    private string _text = "";
    private byte[] _received = [];

    /// <summary>Characters in the chat message's text (the load generator's is about 30).</summary>
    [Params(32, 1024)]
    public int MessageLength { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _message = new BenchChatMessage(Text(MessageLength));
        _text = JsonSerializer.Serialize(_message, WebOptions);
        _received = Encoding.UTF8.GetBytes(_text);
    }

    /// <summary>A message text of <paramref name="length"/> characters, a little non-ASCII among it.</summary>
    public static string Text(int length) => string.Create(length, 0, static (span, _) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = i % 16 == 15 ? 'é' : (char)('a' + (i % 26));
        }
    });

    /// <summary>The consumer's side: a group message serialized to JSON, once, into a text frame with its UTF-8 bytes.</summary>
    [Benchmark]
    public SendFrame EncodeJson()
    {
        var utf8 = JsonSerializer.SerializeToUtf8Bytes(_message, _message.GetType(), WebOptions);
        return SendFrame.FromText(Encoding.UTF8.GetString(utf8));
    }

    /// <summary>The gateway's side of a text frame sent without pre-encoded bytes: UTF-8 into a pooled buffer.</summary>
    [Benchmark]
    public int EncodeTextFrame()
    {
        var frame = SendFrame.FromText(_text);
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(frame.Text!.Length));
        try
        {
            return Encoding.UTF8.GetBytes(frame.Text, rented);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Inbound: received bytes to the chat message's text, as the gateway and <c>JsonWebSocketConsumer</c> do it.</summary>
    [Benchmark]
    public string? DecodeJson()
    {
        var frame = FrameReceived.FromText(StrictUtf8.GetString(_received));
        var content = JsonSerializer.Deserialize<JsonElement>(frame.Text!);
        return content.ValueKind == JsonValueKind.Object && content.TryGetProperty("message", out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
    }
}
