namespace Switchboard.Actors.Layers;

/// <summary>
/// Marks a message type that travels between cluster nodes through the channel layer: such types are
/// serialized with System.Text.Json (the <c>switchboard-json</c> serializer) without any HOCON of your own.
/// Other types need a binding in <c>akka.actor.serialization-bindings</c>; an unbound type fails loudly.
/// </summary>
/// <example><code>public sealed record ChatMessage(string Message) : IChannelMessage;</code></example>
#pragma warning disable CA1040 // A marker interface is the point: it binds a serializer to the types that carry it.
public interface IChannelMessage
#pragma warning restore CA1040
{
}
