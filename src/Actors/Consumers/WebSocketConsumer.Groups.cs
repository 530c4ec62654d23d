using Switchboard.Actors.Layers;

namespace Switchboard.Actors.Consumers;

public abstract partial class WebSocketConsumer
{
    private List<string>? _joinedGroups;

    /// <summary>
    /// Groups this consumer belongs to for its whole connection: joined before <see cref="OnConnectAsync"/>
    /// and left after <see cref="OnDisconnectAsync"/>, by the base class. Computed once, at connect.
    /// </summary>
    protected virtual IEnumerable<string> Groups => [];

    private async Task JoinGroupsAsync()
    {
        foreach (var group in Groups)
        {
            ChannelNames.RequireGroup(group, nameof(Groups));
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
