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
        var groups = DistinctGroups(Groups, Runtime.ConsumerSettings.MaxGroups);
        foreach (var group in groups)
        {
            ChannelNames.RequireGroup(group, nameof(Groups));
        }

        Layer.EnsureRoomFor(groups);
        foreach (var group in groups)
        {
            await ChannelLayer.AddToGroupAsync(group, ChannelName);
            (_joinedGroups ??= new List<string>(groups.Count)).Add(group);
        }
    }

    /// <summary>
    /// The distinct groups in <paramref name="groups"/>, in order, reading at most one past <paramref name="limit"/>
    /// (0: no limit): Groups may be long, or endless. A consumer has one or a few groups, so duplicates are found by
    /// looking back through the list until it is long enough for a set to pay.
    /// </summary>
    internal static List<string> DistinctGroups(IEnumerable<string> groups, int limit)
    {
        const int ScanLimit = 8;
        var distinct = new List<string>(groups.TryGetNonEnumeratedCount(out var count) ? Math.Min(count, ScanLimit) : 1);
        HashSet<string>? seen = null;
        foreach (var group in groups)
        {
            if (seen is null && distinct.Count == ScanLimit)
            {
                seen = new HashSet<string>(distinct, StringComparer.Ordinal);
            }

            var isNew = seen?.Add(group) ?? !distinct.Contains(group, StringComparer.Ordinal);
            if (!isNew)
            {
                continue;
            }

            distinct.Add(group);
            if (limit > 0 && distinct.Count > limit)
            {
                break;
            }
        }

        return distinct;
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
