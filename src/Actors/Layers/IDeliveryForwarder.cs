namespace Switchboard.Actors.Layers;

/// <summary>
/// A bound actor that takes some channel-layer messages without a turn of its own: a consumer that forwards them to its
/// client as they are (<see cref="Consumers.JsonWebSocketConsumer"/>'s <c>ForwardJson</c>). The layer offers it each
/// message for the binding on the sender's thread, and tells the actor only what it declines.
/// </summary>
internal interface IDeliveryForwarder
{
    /// <summary>
    /// Forwards <paramref name="delivery"/> on the calling thread and returns true, or returns false (not a forwarded type,
    /// or the connection is not open) so that the layer tells the actor instead. Called from any thread, concurrently.
    /// </summary>
    bool TryForward(ChannelDelivery delivery);
}
