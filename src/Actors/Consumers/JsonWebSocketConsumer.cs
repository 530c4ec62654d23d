using System.Text.Json;
using Switchboard.Actors.Layers;
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

    private Type[] _forwarded = [];
    private JsonForwarder? _forwarder;

    /// <summary>
    /// Forwards every <typeparamref name="T"/> from the channel layer to the client as JSON, as it is: what
    /// <c>Handle&lt;T&gt;(SendJsonAsync)</c> does, without a turn of this consumer when it can be skipped. A group send
    /// then reaches each member's client from the sending thread (Phoenix's "fastlane"; SignalR's group sends work this
    /// way), serialized once for all the members on the node; on a cluster, from the thread that receives it from the
    /// other node. Call it from the constructor, in place of a handler for <typeparamref name="T"/>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Order: a message of <typeparamref name="T"/> is forwarded at once only while the connection is open and no older
    /// channel-layer message to this consumer is still waiting for, or running, the synchronous part of its handler;
    /// otherwise it takes its turn like any other message. So one sender's messages reach the client in the order sent,
    /// forwarded or handled; what a handler sends after an <c>await</c> may come after messages forwarded meanwhile.
    /// </para>
    /// <para>
    /// Only messages of exactly <typeparamref name="T"/> skip the turn; a subtype takes its turn and goes to the handler
    /// that matches it best (this forward, or a more specific <see cref="ConsumerActor.Handle{T}(Func{T, Task})"/>). Before
    /// the connection is accepted a message waits its turn (and sending it then fails as <c>SendJsonAsync</c> would); once
    /// the connection is closed it is dropped, since there is no client to forward it to. Messages from timers and other
    /// actors take their turn. <see cref="JsonOptions"/> is read when the consumer starts.
    /// </para>
    /// </remarks>
    /// <exception cref="InvalidOperationException">A handler for <typeparamref name="T"/> is already registered.</exception>
    protected void ForwardJson<T>()
        where T : class
    {
        Handle<T>(ForwardInTurn);
        _forwarded = [.. _forwarded, typeof(T)];
    }

    /// <summary>A forwarded type's message that took its turn: sent as <c>SendJsonAsync</c> would (so dropped once closed).</summary>
    private Task ForwardInTurn<T>(T message)
        where T : class =>
        SendJson(message, _forwarder?.Options ?? JsonOptions);

    /// <inheritdoc />
    /// <remarks>Read once, as the consumer starts: the options it reads then serve every forwarded message, in turn or not.</remarks>
    private protected override IDeliveryForwarder? Forwarder =>
        _forwarded.Length == 0 ? null : _forwarder ??= new JsonForwarder(this, JsonOptions);

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
    protected Task SendJsonAsync<T>(T value) => SendJson(value, JsonOptions);

    private Task SendJson<T>(T value, JsonSerializerOptions options)
    {
        if (State is WebSocketState.Closed or WebSocketState.Disconnected)
        {
            // Dropped, as SendAsync would drop it: not worth serializing.
            return Task.CompletedTask;
        }

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

    /// <summary>
    /// Takes the messages of the forwarded types off the channel layer's sending thread, while the connection is open:
    /// serialized once per delivery (every local member of a group send shares it) and handed to the transport.
    /// </summary>
    private sealed class JsonForwarder(JsonWebSocketConsumer consumer, JsonSerializerOptions options) : IDeliveryForwarder
    {
        public JsonSerializerOptions Options => options;

        public bool TryForward(ChannelDelivery delivery)
        {
            var message = delivery.Message;
            if (Array.IndexOf(consumer._forwarded, message.GetType()) < 0 || !consumer.IsOpenToOthers)
            {
                return false;
            }

            SerializedJson json;
            try
            {
                json = SerializeOnce(delivery, ref delivery.EncodingSlot, message, options);
            }
#pragma warning disable CA1031 // Not the sender's failure: the message takes its turn, and fails there as SendJsonAsync would.
            catch (Exception)
#pragma warning restore CA1031
            {
                return false;
            }

            return consumer.TrySendFromOutside(SendFrame.FromUtf8(json.Utf8));
        }
    }

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
