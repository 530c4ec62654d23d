using Switchboard.Actors.Layers;

namespace Switchboard.Actors.Consumers;

public abstract partial class WebSocketConsumer
{
    private List<string>? _joinedGroups;

    /// <summary>
    /// Groups this consumer belongs to for its whole connection: joined before <see cref="OnConnectAsync"/>
    /// and left after <see cref="OnDisconnectAsync"/>, by the base class. Computed once, at connect. More than
    /// <c>switchboard.consumer.max-groups</c> throws <see cref="TooManyGroupsException"/> before any is joined.
    /// </summary>
    protected virtual IEnumerable<string> Groups => [];

    private async Task JoinGroupsAsync()
    {
        // Read at most one group past the limit: Groups may be long, or endless.
        var limit = Runtime.ConsumerSettings.MaxGroups;
        var distinct = Groups.Distinct(StringComparer.Ordinal);
        var groups = (limit > 0 ? distinct.Take(limit + 1) : distinct).ToList();
        foreach (var group in groups)
        {
            ChannelNames.RequireGroup(group, nameof(Groups));
        }

        Layer.EnsureRoomFor(groups);
        foreach (var group in groups)
        {
            await ChannelLayer.AddToGroupAsync(group, ChannelName);
            (_joinedGroups ??= []).Add(group);
        }
    }

    private async Task LeaveGroupsAsync()
    {
        if (_joinedGroups is null)
        {
            return;
        }

        var groups = _joinedGroups;
        _joinedGroups = null;
        foreach (var group in groups)
        {
            await ChannelLayer.RemoveFromGroupAsync(group, ChannelName);
        }
    }
}
