using System.Collections.Concurrent;
using Akka;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Switchboard.Actors.Hosting;

namespace Switchboard.Actors.Layers.Cluster;

/// <summary>
/// The channel layer across an Akka cluster, on DistributedPubSub: a group is a topic, a consumer's channel name
/// says which node it lives on, a named worker channel is a <c>Put</c>/<c>Send</c> path. Messages for local channels
/// are kept by an <see cref="InMemoryChannelLayer"/> with the same capacity and expiry rules.
/// </summary>
/// <remarks>
/// <para><b>Groups.</b> Each node subscribes one hub actor to a group's topic while it has local members, so a group
/// send crosses the network once per node, and that node delivers it to each of its members exactly once. The hubs
/// also tell each other which groups they have members of, and a send is published only when another node has one
/// (or has not told its groups yet): a group whose members are all on the sending node costs no pub-sub traffic.
/// <see cref="AddToGroupAsync"/> completes when the subscription is effective on this node; other nodes see it after
/// pub-sub gossip (see docs/cluster.md for the measured bound). A send to a group nobody belongs to is dropped.</para>
/// <para><b>Direct sends</b> to a channel on another node go straight to that node's hub; capacity is checked there,
/// and a message for a full channel is dropped and counted on that node (it cannot throw at a remote sender).</para>
/// <para><b>Workers.</b> A send to a named channel (no <c>!</c>) reaches exactly one node that bound it, preferring
/// this node; with no worker anywhere it is dropped (dead letters, logged by Akka).</para>
/// <para><b>Flow control.</b> What this node hands to remoting for other nodes is bounded by
/// <see cref="ClusterLayerSettings.MaxUnacknowledged"/> (see <see cref="RemoteOutbox"/>). When a reachable node falls
/// that far behind, sends wait for room up to <see cref="ClusterLayerSettings.BackpressureTimeout"/>; then a group send
/// has reached this node's members only and counts its remote part in <see cref="RemoteGroupSendsDropped"/>, and a
/// direct or worker send throws <see cref="ChannelFullException"/>.</para>
/// </remarks>
public sealed class ClusterChannelLayer : IChannelLayer
{
    internal const string HubName = "switchboard-layer";

    /// <summary>The topic every hub subscribes to for fences; '!' keeps it apart from every valid group name.</summary>
    internal const string FenceTopic = "switchboard!fences";
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    private readonly InMemoryChannelLayer _local;
    private readonly IActorRef _mediator;
    private readonly IActorRef _hub;
    private readonly ActorSystem _system;
    private readonly string _nodeSegment;
    private readonly Address _self;
    private readonly Akka.Cluster.Cluster _cluster;
    private readonly ConcurrentDictionary<Address, IActorRef> _remoteHubs = new();
    private readonly ConcurrentDictionary<string, byte> _localWorkers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GroupState> _groups = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _groupsElsewhere = new(StringComparer.Ordinal);
    private int _peersHeard = -1;
    private readonly ClusterLayerSettings _flow;
    private readonly ILoggingAdapter _log;
    private long _remoteGroupSendsDropped;
    private long _remoteSendsRefused;
    private long _lastDropWarning;

    /// <summary>Creates the layer on <paramref name="system"/>, which must use the cluster provider.</summary>
    public ClusterChannelLayer(ActorSystem system, ChannelLayerSettings? settings = null, TimeProvider? time = null)
    {
        _system = system ?? throw new ArgumentNullException(nameof(system));
        _local = new InMemoryChannelLayer(settings, time) { GroupEmptied = OnLocalGroupEmptied };
        _mediator = DistributedPubSub.Get(system).Mediator;
        _cluster = Akka.Cluster.Cluster.Get(system);
        _self = _cluster.SelfAddress;
        _nodeSegment = NodeChannelNames.NodeSegment(_self);
        _flow = ClusterLayerSettings.FromConfig(SwitchboardConfig.Section(system.Settings.Config, "switchboard.channel-layer.cluster"));
        Outbox = new RemoteOutbox(_flow.MaxUnacknowledged);
        _log = Logging.GetLogger(system, typeof(ClusterChannelLayer));
        _hub = ((ExtendedActorSystem)system).SystemActorOf(Props.Create(() => new ClusterLayerHub(this, _mediator, _flow.FenceInterval)), HubName);
        ClusterLayerMetrics.Track(this);
    }

    /// <summary>The layer that holds this node's channels and groups.</summary>
    public InMemoryChannelLayer Local => _local;

    /// <summary>Messages for this node's channels that were dropped because the channel was full.</summary>
    public long RemoteSendsDropped => Interlocked.Read(ref _remoteSendsDropped);

    private long _remoteSendsDropped;

    /// <summary>
    /// Group sends whose remote part was dropped because a reachable node stayed too far behind for the backpressure
    /// timeout (this node's members got them). Also the <c>switchboard.channel_layer.remote_group_sends_dropped</c> counter.
    /// </summary>
    public long RemoteGroupSendsDropped => Interlocked.Read(ref _remoteGroupSendsDropped);

    /// <summary>Direct and worker sends to other nodes refused with <see cref="ChannelFullException"/> for the same reason.</summary>
    public long RemoteSendsRefused => Interlocked.Read(ref _remoteSendsRefused);

    /// <summary>Messages handed to remoting for other nodes that a reachable node may not have received yet.</summary>
    public long RemoteBacklog => Outbox.Backlog;

    internal RemoteOutbox Outbox { get; }

    internal IActorRef Hub => _hub;

    internal string NodeAddress => _self.ToString();

    /// <inheritdoc />
    public Task SendAsync(string channel, object message, CancellationToken cancellationToken = default)
    {
        ChannelNames.RequireChannel(channel, nameof(channel));
        ArgumentNullException.ThrowIfNull(message);
        if (IsLocal(channel, out var remote))
        {
            return _local.SendAsync(channel, message, cancellationToken);
        }

        var number = Outbox.TryTake();
        if (number == 0)
        {
            return SendWhenRoomAsync(channel, message, remote, cancellationToken);
        }

        SendRemote(channel, message, remote, number);
        return Task.CompletedTask;
    }

    private async Task SendWhenRoomAsync(string channel, object message, Address? remote, CancellationToken cancellationToken)
    {
        var number = await TakeWhenRoomAsync(cancellationToken).ConfigureAwait(false);
        if (number == 0)
        {
            Interlocked.Increment(ref _remoteSendsRefused);
            ClusterLayerMetrics.RemoteSendsRefused.Add(1);
            throw new ChannelFullException(channel, $"Channel '{channel}' is on another node, and this node has {Outbox.Backlog} messages for other nodes that a reachable node has not confirmed (switchboard.channel-layer.cluster.max-unacknowledged = {Outbox.Capacity}); no room came within {_flow.BackpressureTimeout.TotalSeconds:0.###} s.");
        }

        SendRemote(channel, message, remote, number);
    }

    private void SendRemote(string channel, object message, Address? remote, long number)
    {
        if (remote is { } address)
        {
            HubOf(address).Tell(new ChannelEnvelope(channel, message), ActorRefs.NoSender);
        }
        else
        {
            _mediator.Tell(new Send(WorkerPath(channel), new ChannelEnvelope(channel, message), localAffinity: true), ActorRefs.NoSender);
        }

        Sent(number);
    }

    /// <inheritdoc />
    public async Task AddToGroupAsync(string group, string channel, CancellationToken cancellationToken = default)
    {
        ChannelNames.RequireGroup(group, nameof(group));
        ChannelNames.RequireChannel(channel, nameof(channel));
        if (!IsLocal(channel, out var remote) && remote is { } address)
        {
            await HubOf(address).Ask<string>(new RemoteGroupAdd(group, channel), AskTimeout, cancellationToken);
            return;
        }

        await _local.AddToGroupAsync(group, channel, cancellationToken);
        Task subscribed;
        lock (_groups)
        {
            if (!_groups.TryGetValue(group, out var state))
            {
                // A node alone in its cluster needs no topic (nobody else could send to it): the hub subscribes
                // when a second node comes up, and nobody waits for it.
                if (_cluster.State.Members.Count <= 1)
                {
                    _hub.Tell(new ClusterLayerHub.SubscribeGroup(group), ActorRefs.NoSender);
                    state = new GroupState(Task.CompletedTask);
                }
                else
                {
                    state = new GroupState(_hub.Ask<Done>(new ClusterLayerHub.SubscribeGroup(group), AskTimeout));
                }
                _groups[group] = state;
            }

            subscribed = state.Subscribed;
        }

        await subscribed.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task RemoveFromGroupAsync(string group, string channel, CancellationToken cancellationToken = default)
    {
        ChannelNames.RequireGroup(group, nameof(group));
        ChannelNames.RequireChannel(channel, nameof(channel));
        if (!IsLocal(channel, out var remote) && remote is { } address)
        {
            await HubOf(address).Ask<string>(new RemoteGroupRemove(group, channel), AskTimeout, cancellationToken);
            return;
        }

        // The group's last local member leaving drops its topic (OnLocalGroupEmptied).
        await _local.RemoveFromGroupAsync(group, channel, cancellationToken);
    }

    /// <summary>
    /// The local layer's group lost its last member on this node, whichever way: a RemoveFromGroupAsync, a consumer that
    /// stopped without leaving (its binding disposed), or an expired membership. The hub leaves the topic, unless a member
    /// joined again meanwhile.
    /// </summary>
    private void OnLocalGroupEmptied(string group)
    {
        lock (_groups)
        {
            if (!_local.HasMembers(group) && _groups.Remove(group))
            {
                _hub.Tell(new ClusterLayerHub.UnsubscribeGroup(group));
            }
        }
    }

    /// <summary>Groups with members on this node, each with its topic subscription (for tests of its bounds).</summary>
    internal int LocalGroupCount
    {
        get
        {
            lock (_groups)
            {
                return _groups.Count;
            }
        }
    }

    /// <inheritdoc />
    public Task SendToGroupAsync(string group, object message, CancellationToken cancellationToken = default)
    {
        ChannelNames.RequireGroup(group, nameof(group));
        ArgumentNullException.ThrowIfNull(message);
        // Local members are reached at once, in the caller's order with its other calls; other nodes through the topic,
        // unless no other node has members (MayHaveMembersElsewhere).
        var local = _local.SendToGroupAsync(group, message, cancellationToken);
        if (!MayHaveMembersElsewhere(group))
        {
            return local;
        }

        var number = Outbox.TryTake();
        if (number == 0)
        {
            return PublishWhenRoomAsync(local, group, message, cancellationToken);
        }

        Publish(group, message, number);
        return local;
    }

    /// <summary>
    /// Whether a send to <paramref name="group"/> must be published: another node has said it has members of it, or this
    /// node has not heard from every other member yet (see <see cref="PeersHeard"/>). A node alone in its cluster (the
    /// single-node default) never publishes: nobody else could be subscribed. Publishing a group that only this node has
    /// costs three actor turns for nothing (the mediator, the topic, this node's hub, which drops its own send): about 40%
    /// of an echo message's CPU on two nodes.
    /// </summary>
    private bool MayHaveMembersElsewhere(string group)
    {
        var members = _cluster.State.Members.Count;
        if (members <= 1)
        {
            return false;
        }

        var heard = Volatile.Read(ref _peersHeard);
        return heard < 0 || heard < members - 1 || _groupsElsewhere.ContainsKey(group);
    }

    /// <summary>
    /// Set by the hub: how many other members it knows, all of them heard from (their groups are in
    /// <see cref="_groupsElsewhere"/>); -1 while one it knows has not answered or is unreachable.
    /// </summary>
    internal int PeersHeard
    {
        get => Volatile.Read(ref _peersHeard);
        set => Volatile.Write(ref _peersHeard, value);
    }

    /// <summary>Set by the hub: another node has its first member of <paramref name="group"/>.</summary>
    internal void GroupJoinedElsewhere(string group) => _groupsElsewhere.AddOrUpdate(group, 1, static (_, nodes) => nodes + 1);

    /// <summary>Set by the hub: another node's last member of <paramref name="group"/> left (or the node did).</summary>
    internal void GroupLeftElsewhere(string group)
    {
        // Only the hub changes the table, so reading then writing is not a race.
        if (_groupsElsewhere.TryGetValue(group, out var nodes))
        {
            if (nodes <= 1)
            {
                _groupsElsewhere.TryRemove(group, out _);
            }
            else
            {
                _groupsElsewhere[group] = nodes - 1;
            }
        }
    }

    /// <summary>Groups another node has members of, with how many such nodes (for tests).</summary>
    internal IReadOnlyDictionary<string, int> GroupsElsewhere => _groupsElsewhere;

    private async Task PublishWhenRoomAsync(Task local, string group, object message, CancellationToken cancellationToken)
    {
        await local.ConfigureAwait(false);
        var number = await TakeWhenRoomAsync(cancellationToken).ConfigureAwait(false);
        if (number == 0)
        {
            var dropped = Interlocked.Increment(ref _remoteGroupSendsDropped);
            ClusterLayerMetrics.RemoteGroupSendsDropped.Add(1);
            WarnDropped(group, dropped);
            return;
        }

        Publish(group, message, number);
    }

    /// <summary>Waits up to the backpressure timeout for room; the message's number, or 0 when none came.</summary>
    private async Task<long> TakeWhenRoomAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + _flow.BackpressureTimeout;
        long number;
        while ((number = Outbox.TryTake()) == 0)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await Outbox.WaitForRoomAsync(left, cancellationToken).ConfigureAwait(false))
            {
                return 0;
            }
        }

        return number;
    }

    private void Publish(string group, object message, long number)
    {
        _mediator.Tell(new Publish(group, new GroupEnvelope(group, message, NodeId)), ActorRefs.NoSender);
        Sent(number);
    }

    /// <summary>After message <paramref name="number"/> went to remoting: every <c>fence-every</c> messages, a fence follows.</summary>
    private void Sent(long number)
    {
        if (RemoteOutbox.FenceFollows(number, _flow.FenceEvery))
        {
            PublishFence();
        }
    }

    /// <summary>
    /// Asks every node to confirm what it has received so far, if anything was sent since the last fence; with
    /// <paramref name="always"/>, even if not (the hub does so now and then, so that new nodes are learnt before
    /// a burst, and their confirmations counted from its first message).
    /// </summary>
    internal void PublishFence(bool always = false)
    {
        var number = Outbox.NextFence();
        if (number > 0 || always)
        {
            _mediator.Tell(new Publish(FenceTopic, new Fence(number > 0 ? number : Outbox.Sent)), _hub);
        }
    }

    private void WarnDropped(string group, long dropped)
    {
        // At most one warning every 5 seconds: a node that falls behind would otherwise flood the log.
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastDropWarning);
        if (now - last >= 5000 && Interlocked.CompareExchange(ref _lastDropWarning, now, last) == last)
        {
            _log.Warning(
                "A group send to {0} reached this node's members only: a reachable node has not confirmed {1} messages (max-unacknowledged) for {2} s. {3} group sends dropped for other nodes so far.",
                group, Outbox.Backlog, _flow.BackpressureTimeout.TotalSeconds, dropped);
        }
    }

    /// <inheritdoc />
    public Task<string> NewChannelAsync(string prefix = "specific", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length == 0 || prefix.Contains('!', StringComparison.Ordinal))
        {
            throw new ArgumentException($"A channel prefix must be a non-empty channel name without '!' (got '{prefix}').", nameof(prefix));
        }

        return _local.NewChannelAsync($"{prefix}.{_nodeSegment}", cancellationToken);
    }

    /// <inheritdoc />
    public Task<object> ReceiveAsync(string channel, CancellationToken cancellationToken = default) =>
        _local.ReceiveAsync(channel, cancellationToken);

    /// <inheritdoc />
    public ChannelBinding Bind(IActorRef actor, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (name is null)
        {
            while (true)
            {
                var fresh = FreshChannelName(_nodeSegment);
                try
                {
                    return _local.Bind(actor, fresh);
                }
                catch (InvalidOperationException)
                {
                    // The random part collided with a bound name: draw again.
                }
            }
        }

        var binding = _local.Bind(actor, name);
        if (!name.Contains('!', StringComparison.Ordinal))
        {
            _localWorkers[name] = 0;
            _hub.Tell(new ClusterLayerHub.RegisterWorker(name));
            return new WorkerBinding(binding, this);
        }

        return binding;
    }

    /// <summary><c>specific.{node segment}!{16 random hex digits}</c>, built in place.</summary>
    private static string FreshChannelName(string nodeSegment) =>
        string.Create(SpecificPrefix.Length + nodeSegment.Length + 1 + 16, nodeSegment, static (name, segment) =>
        {
            SpecificPrefix.CopyTo(name);
            segment.CopyTo(name[SpecificPrefix.Length..]);
            name[SpecificPrefix.Length + segment.Length] = '!';
            Span<char> random = stackalloc char[32];
            Guid.NewGuid().TryFormat(random, out _, "N");
            random[..16].CopyTo(name[(SpecificPrefix.Length + segment.Length + 1)..]);
        });

    private const string SpecificPrefix = "specific.";

    internal static string WorkerPath(string channel) => $"/system/{HubName}/worker-{channel}";

    /// <summary>Delivers a message that arrived from another node to a local channel; a full channel drops it.</summary>
    internal void DeliverLocally(ChannelEnvelope envelope)
    {
        var sending = _local.SendAsync(envelope.Channel, envelope.Message);
        if (!sending.IsCompletedSuccessfully)
        {
            _ = sending.ContinueWith(t => Interlocked.Increment(ref _remoteSendsDropped), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>This node's identity on group envelopes.</summary>
    internal long NodeId { get; } = Random.Shared.NextInt64(1, long.MaxValue);

    internal Task DeliverToLocalGroup(GroupEnvelope envelope) =>
        envelope.Origin == NodeId ? Task.CompletedTask : _local.SendToGroupAsync(envelope.Group, envelope.Message);

    private bool IsLocal(string channel, out Address? remote)
    {
        remote = null;
        var segment = NodeChannelNames.SegmentOf(channel);
        if (segment.SequenceEqual(_nodeSegment))
        {
            // This node's own names (almost every send) are recognised without decoding anything.
            return true;
        }

        if (NodeChannelNames.NodeOfSegment(segment) is { } node)
        {
            if (node.Host == _self.Host && node.Port == _self.Port)
            {
                return true;
            }

            remote = new Address(_self.Protocol, _self.System, node.Host, node.Port);
            return false;
        }

        // A process-specific name without a node part is a local queue; a plain name is a worker channel.
        return channel.Contains('!', StringComparison.Ordinal) || _localWorkers.ContainsKey(channel);
    }

    internal IActorRef HubOf(Address address) => _remoteHubs.GetOrAdd(address, a =>
        ((ExtendedActorSystem)_system).Provider.ResolveActorRef(new RootActorPath(a) / "system" / HubName));

    private sealed class GroupState(Task subscribed)
    {
        public Task Subscribed { get; } = subscribed;
    }

    private sealed class WorkerBinding(ChannelBinding inner, ClusterChannelLayer layer) : ChannelBinding(inner.Name)
    {
        public override void Delivered() => inner.Delivered();

        protected override void Dispose(bool disposing)
        {
            layer._localWorkers.TryRemove(Name, out _);
            layer._hub.Tell(new ClusterLayerHub.UnregisterWorker(Name));
            inner.Dispose();
        }
    }
}
