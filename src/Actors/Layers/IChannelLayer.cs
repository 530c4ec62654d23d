using Akka.Actor;

namespace Switchboard.Actors.Layers;

/// <summary>
/// The channel layer: direct messages to a named channel and broadcast to named groups, between
/// consumers anywhere the layer reaches (one process for <see cref="InMemoryChannelLayer"/>, every
/// node of the cluster for the cluster layer). Messages are ordinary objects (typed records); a consumer
/// receives them as actor messages and handles them with ordinary typed handlers.
/// </summary>
/// <remarks>
/// Names are ASCII letters, digits, <c>-</c>, <c>_</c> and <c>.</c>, shorter than 100 characters; a channel
/// name may have one <c>!</c> (a process-specific channel). An invalid name throws <see cref="ArgumentException"/>.
/// Delivery is at most once, in order between one sender and one receiver.
/// </remarks>
/// <example>
/// From an ASP.NET Core endpoint:
/// <code>
/// app.MapPost("/rooms/{room}/announce", async (string room, IChannelLayer layer) =>
///     await layer.SendToGroupAsync($"chat_{room}", new ChatMessage("The room closes in 5 minutes.")));
/// </code>
/// </example>
public interface IChannelLayer
{
    /// <summary>Sends <paramref name="message"/> to the channel <paramref name="channel"/>.</summary>
    /// <exception cref="ChannelFullException">The channel already holds its capacity of undelivered messages.</exception>
    Task SendAsync(string channel, object message, CancellationToken cancellationToken = default);

    /// <summary>Adds <paramref name="channel"/> to <paramref name="group"/>; idempotent. Completes when the membership is effective on this node.</summary>
    Task AddToGroupAsync(string group, string channel, CancellationToken cancellationToken = default);

    /// <summary>Removes <paramref name="channel"/> from <paramref name="group"/>; removing a non-member does nothing.</summary>
    Task RemoveFromGroupAsync(string group, string channel, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends <paramref name="message"/> to every member of <paramref name="group"/>. A group with no members is not
    /// an error; a member whose channel is full is skipped (and counted), never blocking the others.
    /// </summary>
    Task SendToGroupAsync(string group, object message, CancellationToken cancellationToken = default);

    /// <summary>Creates a new channel that code which is not a consumer can read with <see cref="ReceiveAsync"/>.</summary>
    Task<string> NewChannelAsync(string prefix = "specific", CancellationToken cancellationToken = default);

    /// <summary>Waits for the next message on a channel made by <see cref="NewChannelAsync"/>.</summary>
    Task<object> ReceiveAsync(string channel, CancellationToken cancellationToken = default);

    /// <summary>
    /// Binds an actor to a channel: a fresh unique name when <paramref name="name"/> is <see langword="null"/>
    /// (a consumer's <c>ChannelName</c>), or a named channel such as a worker's <c>thumbnails</c>.
    /// Messages sent to the channel arrive at the actor wrapped in <see cref="ChannelDelivery"/>.
    /// Dispose the binding to unbind.
    /// </summary>
    ChannelBinding Bind(IActorRef actor, string? name = null);
}
