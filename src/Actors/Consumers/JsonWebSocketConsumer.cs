using System.Text.Json;
using Switchboard.Actors.Protocol;

namespace Switchboard.Actors.Consumers;

/// <summary>
/// A WebSocket consumer that speaks JSON: Channels' <c>AsyncJsonWebsocketConsumer</c> on System.Text.Json.
/// Each text frame is parsed and handed to <see cref="OnReceiveJsonAsync"/>; <see cref="SendJsonAsync{T}"/>
/// serializes with <see cref="JsonOptions"/> (web defaults: camelCase names).
/// </summary>
/// <remarks>
/// A client error closes only this connection, with a log line at Information level:
/// a binary frame or an empty text frame closes with <see cref="CloseCodes.UnsupportedData"/> (1003);
/// text that is not JSON closes with <see cref="CloseCodes.InvalidPayload"/> (1007).
/// </remarks>
/// <example>
/// <code>
/// public sealed class ChatConsumer : JsonWebSocketConsumer
/// {
///     protected override Task OnReceiveJsonAsync(JsonElement content) =>
///         SendJsonAsync(new { message = content.GetProperty("message").GetString() });
/// }
/// </code>
/// </example>
public abstract class JsonWebSocketConsumer : WebSocketConsumer
{
    private static readonly JsonSerializerOptions WebOptions = new(JsonSerializerDefaults.Web);

    /// <summary>The serializer options for <see cref="SendJsonAsync{T}"/>; web defaults unless overridden.</summary>
    protected virtual JsonSerializerOptions JsonOptions => WebOptions;

    /// <summary>Runs for each JSON message from the client. The element stays valid after the call.</summary>
    protected virtual Task OnReceiveJsonAsync(JsonElement content) => Task.CompletedTask;

    /// <summary>
    /// Serializes <paramref name="value"/> to JSON and sends it as a text frame. An object (not a value type) is
    /// serialized once for every consumer that sends that same instance with the same options: a group message that
    /// every member forwards as it is costs one serialization, not one per member (one per group send, if the same
    /// instance is sent to groups more than once). Don't mutate an object after sending it.
    /// </summary>
    /// <remarks>
    /// A group message that its handler forwards before its first await is kept with the group send's delivery, which
    /// every local member shares; any other object in a table of weak references. The table's entries (a GC handle each)
    /// were the largest single cost of an echo message, for a message that only one member would ever forward.
    /// </remarks>
    protected Task SendJsonAsync<T>(T value)
    {
        var options = JsonOptions;
        if (value is null || typeof(T).IsValueType || value is string)
        {
            return SendAsync(JsonSerializer.Serialize(value, options));
        }

        SerializedJson json;
        if (HandlingGroupSend is { } delivery && ReferenceEquals(delivery.Message, value))
        {
            json = SerializeOnce(delivery, ref delivery.EncodingSlot, value, options);
        }
        else
        {
            var cell = Serialized.GetValue(value, static _ => new EncodingCell());
            json = SerializeOnce(cell, ref cell.Encoding, value, options);
        }

        Transmit(SendFrame.FromUtf8(json.Utf8));
        return Task.CompletedTask;
    }

    /// <summary>
    /// The encoding kept in <paramref name="slot"/>, made there first if it is missing or was made with other options.
    /// Consumers on other threads sending the same instance wait on <paramref name="gate"/> for the first one's
    /// serialization rather than repeat it.
    /// </summary>
    private static SerializedJson SerializeOnce(object gate, ref object? slot, object value, JsonSerializerOptions options)
    {
        if (Volatile.Read(ref slot) is SerializedJson made && ReferenceEquals(made.Options, options))
        {
            return made;
        }

        lock (gate)
        {
            if (Volatile.Read(ref slot) is SerializedJson madeMeanwhile && ReferenceEquals(madeMeanwhile.Options, options))
            {
                return madeMeanwhile;
            }

            var json = new SerializedJson(options, JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), options));
            Volatile.Write(ref slot, json);
            return json;
        }
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, EncodingCell> Serialized = new();

    /// <summary>The encoding of an object sent other than as the group send being handled, and the monitor to make it under.</summary>
    private sealed class EncodingCell
    {
        public object? Encoding;
    }

    private sealed record SerializedJson(JsonSerializerOptions Options, byte[] Utf8);

    /// <inheritdoc />
    protected sealed override Task OnReceiveAsync(string? text, byte[]? bytes)
    {
        if (string.IsNullOrEmpty(text))
        {
            return RejectAsync(CloseCodes.UnsupportedData, text is null ? "a binary frame was sent to a JSON consumer" : "an empty text frame was sent to a JSON consumer");
        }

        return ParseThenReceive(text, static text => JsonElement.Parse(text));
    }

    /// <summary>A frame from a socket is parsed from the UTF-8 it arrived as, not decoded to text and encoded back first.</summary>
    private protected sealed override Task ReceiveFrameAsync(FrameReceived frame) =>
        frame.Utf8 is { Length: > 0 } utf8 ? ParseThenReceive(utf8, static utf8 => JsonElement.Parse(utf8)) : base.ReceiveFrameAsync(frame);

    /// <summary>Hands the parsed JSON to <see cref="OnReceiveJsonAsync"/>, or closes with 1007 when it is not JSON.</summary>
    private Task ParseThenReceive<TInput>(TInput input, Func<TInput, JsonElement> parse)
    {
        JsonElement content;
        try
        {
            content = parse(input);
        }
        catch (JsonException)
        {
            return RejectAsync(CloseCodes.InvalidPayload, "the text frame is not valid JSON");
        }

        return OnReceiveJsonAsync(content)
            ?? throw new InvalidOperationException($"{GetType().Name}.{nameof(OnReceiveJsonAsync)} returned null instead of a task: return Task.CompletedTask (or make it async).");
    }

    private Task RejectAsync(int code, string problem)
    {
        ConsumerLog.ClientError(Logger, Scope.Path, ChannelName, problem, code);
        CloseWithServerCode(code, problem);
        return Task.CompletedTask;
    }
}
