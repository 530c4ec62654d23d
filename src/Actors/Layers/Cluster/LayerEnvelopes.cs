namespace Switchboard.Actors.Layers.Cluster;

/// <summary>What crosses the wire for the cluster layer; serialized by <see cref="EnvelopeSerializer"/>.</summary>
internal abstract record LayerEnvelope(string Target, object Message);

/// <summary>
/// A group send, published to the group's topic: each node's hub delivers it to its local members, except on the
/// <paramref name="Origin"/> node, which delivered to its own members when it sent.
/// </summary>
internal sealed record GroupEnvelope(string Group, object Message, long Origin) : LayerEnvelope(Group, Message);

/// <summary>A direct send to a channel that lives on the receiving node (or to a named worker channel).</summary>
internal sealed record ChannelEnvelope(string Channel, object Message) : LayerEnvelope(Channel, Message);

/// <summary>Adds a channel that lives on the receiving node to a group, on behalf of another node.</summary>
internal sealed record RemoteGroupAdd(string Group, string Channel) : LayerEnvelope(Group, Channel);

/// <summary>Removes a channel that lives on the receiving node from a group, on behalf of another node.</summary>
internal sealed record RemoteGroupRemove(string Group, string Channel) : LayerEnvelope(Group, Channel);

/// <summary>
/// Published by a node's hub to every hub after the messages numbered up to <paramref name="Number"/> (see
/// <see cref="RemoteOutbox"/>); each answers with a <see cref="FenceConfirmed"/>.
/// </summary>
internal sealed record Fence(long Number) : LayerEnvelope("", Number);

/// <summary>Everything the sender numbered up to <paramref name="Number"/> has reached the confirming node.</summary>
internal sealed record FenceConfirmed(long Number) : LayerEnvelope("", Number);

/// <summary>
/// A hub tells every other node's hub the groups it has members of, so that a node publishes a group send only when
/// another node has members (see <see cref="ClusterChannelLayer"/>'s remarks). With <paramref name="Reply"/>, the
/// receiver answers with its own.
/// </summary>
internal sealed record GroupsHere(IReadOnlyList<string> Groups, bool Reply) : LayerEnvelope("", Groups);

/// <summary>The sending node has its first member of <paramref name="Group"/>; sent before its hub subscribes to the topic.</summary>
internal sealed record GroupJoinedHere(string Group) : LayerEnvelope(Group, "");

/// <summary>The sending node's last member of <paramref name="Group"/> left.</summary>
internal sealed record GroupLeftHere(string Group) : LayerEnvelope(Group, "");
