using Akka.Actor;
using Switchboard.Actors.Layers;

namespace Switchboard.Actors.Consumers;

/// <summary>
/// The channel layer as one consumer sees it (<see cref="ConsumerActor.ChannelLayer"/>): the node's layer, counting
/// the groups this consumer's own channel joins so that no connection exceeds <c>switchboard.consumer.max-groups</c>,
/// whether it joins through <c>Groups</c> or by calling <see cref="AddToGroupAsync"/> itself. Memberships of other
/// channels, and calls made through the layer from dependency injection, are not counted.
/// </summary>
internal sealed class ConsumerChannelLayer(Func<IChannelLayer> layer, Func<string?> ownChannel, int maxGroups) : IChannelLayer
{
    private readonly HashSet<string> _groups = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    private IChannelLayer Inner => layer();

    /// <summary>How many groups this consumer's channel is in, as far as it joined them through this layer.</summary>
    public int GroupCount
    {
        get
        {
            lock (_lock)
            {
                return _groups.Count;
            }
        }
    }

    /// <summary>Throws <see cref="TooManyGroupsException"/> when joining <paramref name="groups"/> (not yet joined) would exceed the limit.</summary>
    public void EnsureRoomFor(IReadOnlyCollection<string> groups)
    {
        if (maxGroups <= 0)
        {
            return;
        }

        lock (_lock)
        {
            var count = _groups.Count;
            string? firstNew = null;
            foreach (var group in groups)
            {
                if (_groups.Contains(group))
                {
                    continue;
                }

                firstNew ??= group;
                if (++count > maxGroups)
                {
                    throw new TooManyGroupsException(firstNew, maxGroups);
                }
            }
        }
    }

    public async Task AddToGroupAsync(string group, string channel, CancellationToken cancellationToken = default)
    {
        if (!IsOwn(channel))
        {
            await Inner.AddToGroupAsync(group, channel, cancellationToken);
            return;
        }

        ChannelNames.RequireGroup(group);
        bool added;
        lock (_lock)
        {
            if (maxGroups > 0 && _groups.Count >= maxGroups && !_groups.Contains(group))
            {
                throw new TooManyGroupsException(group, maxGroups);
            }

            added = _groups.Add(group);
        }

        try
        {
            await Inner.AddToGroupAsync(group, channel, cancellationToken);
        }
        catch when (added)
        {
            lock (_lock)
            {
                _groups.Remove(group);
            }

            throw;
        }
    }

    public Task RemoveFromGroupAsync(string group, string channel, CancellationToken cancellationToken = default)
    {
        if (IsOwn(channel))
        {
            lock (_lock)
            {
                _groups.Remove(group);
            }
        }

        return Inner.RemoveFromGroupAsync(group, channel, cancellationToken);
    }

    public Task SendAsync(string channel, object message, CancellationToken cancellationToken = default) => Inner.SendAsync(channel, message, cancellationToken);

    public Task SendToGroupAsync(string group, object message, CancellationToken cancellationToken = default) => Inner.SendToGroupAsync(group, message, cancellationToken);

    public Task<string> NewChannelAsync(string prefix = "specific", CancellationToken cancellationToken = default) => Inner.NewChannelAsync(prefix, cancellationToken);

    public Task<object> ReceiveAsync(string channel, CancellationToken cancellationToken = default) => Inner.ReceiveAsync(channel, cancellationToken);

    public ChannelBinding Bind(IActorRef actor, string? name = null) => Inner.Bind(actor, name);

    private bool IsOwn(string channel) => ownChannel() is { } own && string.Equals(own, channel, StringComparison.Ordinal);
}
