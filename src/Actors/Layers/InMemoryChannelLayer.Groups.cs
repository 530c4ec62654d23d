using System.Collections.Concurrent;

namespace Switchboard.Actors.Layers;

/// <summary>Groups: membership with join times, and the group send.</summary>
/// <remarks>
/// Group sends read the member tables without a lock. Changes to membership take <see cref="_membershipGate"/>, which
/// also guards the reverse index that lets a channel leave every group at once.
/// </remarks>
public sealed partial class InMemoryChannelLayer
{
    private readonly ConcurrentDictionary<string, GroupMembers> _groups = new();
    private readonly Dictionary<string, HashSet<string>> _groupsOfChannel = [];
    private readonly Lock _membershipGate = new();

    /// <summary>
    /// Called, outside the layer's locks, with a group that has just lost its last member (it left, its channel was
    /// unbound, or its membership expired). The cluster layer drops the group's topic with it.
    /// </summary>
    internal Action<string>? GroupEmptied { get; set; }

    /// <summary>Whether <paramref name="group"/> has a member in this layer now.</summary>
    internal bool HasMembers(string group) => _groups.TryGetValue(group, out var members) && !members.IsEmpty;

    /// <inheritdoc />
    public Task AddToGroupAsync(string group, string channel, CancellationToken cancellationToken = default)
    {
        ChannelNames.RequireGroup(group, nameof(group));
        ChannelNames.RequireChannel(channel, nameof(channel));
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        var now = _time.GetTimestamp();
        lock (_membershipGate)
        {
            // Adding again refreshes the join time, from which the membership's expiry runs.
            var members = _groups.GetOrAdd(group, static _ => new GroupMembers());
            members[channel] = now;
            members.Changed();
            if (!_groupsOfChannel.TryGetValue(channel, out var groups))
            {
                _groupsOfChannel[channel] = groups = [];
            }

            groups.Add(group);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RemoveFromGroupAsync(string group, string channel, CancellationToken cancellationToken = default)
    {
        ChannelNames.RequireGroup(group, nameof(group));
        ChannelNames.RequireChannel(channel, nameof(channel));
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        bool emptied;
        lock (_membershipGate)
        {
            emptied = _groups.TryGetValue(group, out var members) && members.TryRemove(channel, out _) && ForgetMembership(group, channel, members);
        }

        if (emptied)
        {
            GroupEmptied?.Invoke(group);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Every actor member is told the same <see cref="ChannelDelivery"/>; nothing is allocated per member. A member that is
    /// full is skipped and counted in <see cref="GroupSendsSkipped"/>; a queue member that had a message expire leaves
    /// every group instead of receiving.
    /// </remarks>
    public Task SendToGroupAsync(string group, object message, CancellationToken cancellationToken = default)
    {
        ChannelNames.RequireGroup(group, nameof(group));
        ArgumentNullException.ThrowIfNull(message);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        var now = _time.GetTimestamp();
        SweepIfDue(now);
        if (!_groups.TryGetValue(group, out var members))
        {
            return Task.CompletedTask;
        }

        ChannelDelivery? delivery = null;
        foreach (var member in members.Snapshot(_bindings))
        {
            if (HasElapsed(member.JoinedAt, _groupExpiryTicks, now))
            {
                RemoveExpiredMember(group, members, KeyValuePair.Create(member.Channel, member.JoinedAt));
            }
            else if (DeliverToMember(member, message, now, ref delivery) == Outcome.Full)
            {
                Interlocked.Increment(ref _groupSendsSkipped);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// One member of a group send: straight to the binding the snapshot resolved, if it is still bound; otherwise by name,
    /// as a direct send (a queue, or a binding made since the snapshot).
    /// </summary>
    private Outcome DeliverToMember(in GroupMember member, object message, long now, ref ChannelDelivery? delivery) =>
        member.Binding is { IsDisposed: false } binding
            ? Tell(binding, message, now, ref delivery, fromGroup: true)
            : Deliver(member.Channel, message, now, ref delivery, fromGroup: true);

    /// <summary>
    /// An actor bound <paramref name="channel"/> by name: the snapshots of the groups the name is in may have resolved it
    /// to its queue, so the next send to each takes a new one.
    /// </summary>
    private void RefreshGroupsOf(string channel)
    {
        lock (_membershipGate)
        {
            if (_groupsOfChannel.TryGetValue(channel, out var groups))
            {
                foreach (var group in groups)
                {
                    if (_groups.TryGetValue(group, out var members))
                    {
                        members.Changed();
                    }
                }
            }
        }
    }

    /// <summary>Removes <paramref name="channel"/> from every group it is in.</summary>
    private void RemoveFromAllGroups(string channel)
    {
        List<string>? emptied = null;
        lock (_membershipGate)
        {
            if (!_groupsOfChannel.Remove(channel, out var groups))
            {
                return;
            }

            foreach (var group in groups)
            {
                if (_groups.TryGetValue(group, out var members) && members.TryRemove(channel, out _))
                {
                    members.Changed();
                    if (members.IsEmpty && _groups.TryRemove(KeyValuePair.Create(group, members)))
                    {
                        (emptied ??= []).Add(group);
                    }
                }
            }
        }

        if (emptied is not null && GroupEmptied is { } groupEmptied)
        {
            emptied.ForEach(groupEmptied);
        }
    }

    private void PurgeExpiredMemberships(long now)
    {
        foreach (var (group, members) in _groups)
        {
            foreach (var member in members)
            {
                if (HasElapsed(member.Value, _groupExpiryTicks, now))
                {
                    RemoveExpiredMember(group, members, member);
                }
            }
        }
    }

    /// <summary>Removes a membership that expired, unless it was renewed since it was read.</summary>
    private void RemoveExpiredMember(string group, GroupMembers members, KeyValuePair<string, long> member)
    {
        bool emptied;
        lock (_membershipGate)
        {
            emptied = members.TryRemove(member) && ForgetMembership(group, member.Key, members);
        }

        if (emptied)
        {
            GroupEmptied?.Invoke(group);
        }
    }

    /// <summary>
    /// Under the gate, after <paramref name="channel"/> left <paramref name="members"/>: marks the change, updates the
    /// reverse index and drops an empty group; true when it dropped the group (the caller reports it after the gate).
    /// </summary>
    private bool ForgetMembership(string group, string channel, GroupMembers members)
    {
        members.Changed();
        if (_groupsOfChannel.TryGetValue(channel, out var groups) && groups.Remove(group) && groups.Count == 0)
        {
            _groupsOfChannel.Remove(channel);
        }

        return members.IsEmpty && _groups.TryRemove(KeyValuePair.Create(group, members));
    }

    /// <summary>A member of a group as a snapshot saw it: its channel, join time, and the binding the name had then, if any.</summary>
    private readonly record struct GroupMember(string Channel, long JoinedAt, InMemoryBinding? Binding);

    /// <summary>
    /// A group's members and their join times, with a copy of them for group sends to walk: enumerating a
    /// <see cref="ConcurrentDictionary{TKey, TValue}"/> allocates an enumerator every time, which was most of what a send to
    /// a small group allocated. The copy is made by the first send after a change, so a group that changes between every
    /// two sends pays one array per send (still less than the send's own work per member), and one that does not, nothing.
    /// The copy also holds each member's binding, so that a send to a large group does not look up every member's name
    /// (a string hash and a table probe per member; a tenth of the group send's own work in a fan-out to 1,000). A binding
    /// made or disposed later is still found: a name bound later changes the group (<see cref="RefreshGroupsOf"/>), and a
    /// disposed one leaves it, and until the next copy the send goes by name for either.
    /// </summary>
    private sealed class GroupMembers : ConcurrentDictionary<string, long>
    {
        private static readonly GroupMember[] None = [];
        private long _version;
        private Copy? _copy;

        /// <summary>Call after every change to the members (under the membership gate), after the change is made.</summary>
        public void Changed() => Interlocked.Increment(ref _version);

        /// <summary>
        /// The members as of this call or later: every change that completed before the call is in it. A change made
        /// while it is taken may or may not be, as with an enumeration of the table itself.
        /// </summary>
        public GroupMember[] Snapshot(ConcurrentDictionary<string, InMemoryBinding> bindings)
        {
            var copy = Volatile.Read(ref _copy);
            var version = Interlocked.Read(ref _version);
            if (copy is not null && copy.Version == version)
            {
                return copy.Members;
            }

            // The version is read before the table and the bindings: a change that lands meanwhile bumps it again, and the
            // next send copies anew.
            var members = IsEmpty ? None : Resolve(ToArray(), bindings);
            Volatile.Write(ref _copy, new Copy(version, members));
            return members;
        }

        // A method of its own: a lambda capturing the bindings would have its closure allocated on every call of Snapshot.
        private static GroupMember[] Resolve(KeyValuePair<string, long>[] members, ConcurrentDictionary<string, InMemoryBinding> bindings) =>
            Array.ConvertAll(members, m => new GroupMember(m.Key, m.Value, bindings.GetValueOrDefault(m.Key)));

        private sealed record Copy(long Version, GroupMember[] Members);
    }
}
