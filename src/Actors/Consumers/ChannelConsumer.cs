using Switchboard.Actors.Layers;

namespace Switchboard.Actors.Consumers;

/// <summary>
/// A worker consumer: serves a named channel (Channels' <c>runworker</c> consumers) instead of a socket.
/// Every message sent to the channel reaches its handlers, one at a time, in order. Register handlers with
/// <see cref="ConsumerActor.Handle{T}(Func{T, Task})"/> in the constructor.
/// </summary>
public abstract class ChannelConsumer : ConsumerActor
{
    private protected override ChannelBinding BindChannel() =>
        ChannelLayer.Bind(Self, Scope.Channel ?? throw new InvalidOperationException("A channel consumer needs a scope of type 'channel' with a channel name."));
}
