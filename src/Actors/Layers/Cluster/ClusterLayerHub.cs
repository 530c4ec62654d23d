using Akka;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.PublishSubscribe;

namespace Switchboard.Actors.Layers.Cluster;

/// <summary>
/// The cluster layer's actor on each node: subscribed to the topics of groups with local members, the target of
/// direct sends from other nodes, the parent of one registered child per local worker channel, the keeper of the
/// fences of <see cref="RemoteOutbox"/> (it confirms other nodes' fences and records their confirmations of this node's),
/// and of which groups the other nodes have members of (<see cref="ReceivePeerGroups"/>).
/// </summary>
internal sealed class ClusterLayerHub : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    private readonly Dictionary<string, List<IActorRef>> _pendingSubscriptions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _subscribed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _groups = new(StringComparer.Ordinal);
    private bool _clustered;
    private readonly HashSet<Address> _unreachable = [];
    private readonly Dictionary<Address, Peer> _peers = [];
    private readonly Address _self;
    private readonly ClusterChannelLayer _layer;
    private readonly IActorRef _mediator;
    private readonly TimeSpan _fenceInterval;
    private long _ticks;

    public ClusterLayerHub(ClusterChannelLayer layer, IActorRef mediator, TimeSpan fenceInterval)
    {
        _layer = layer;
        _mediator = mediator;
        _fenceInterval = fenceInterval;
        _self = Akka.Cluster.Cluster.Get(Context.System).SelfAddress;
        Ready();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    protected override void PreStart()
    {
        _mediator.Tell(new Subscribe(ClusterChannelLayer.FenceTopic, Self));
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(
            Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.UnreachableMember), typeof(ClusterEvent.ReachableMember));
        Timers.StartPeriodicTimer("fence", FenceTick.Instance, _fenceInterval);
    }

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

    private void Ready()
    {
        var layer = _layer;
        var mediator = _mediator;
        ReceiveFences();
        Receive<GroupEnvelope>(envelope => layer.DeliverToLocalGroup(envelope));
        Receive<ChannelEnvelope>(layer.DeliverLocally);
        Receive<RemoteGroupAdd>(add =>
        {
            var replyTo = Sender;
            // Answered with a string: it crosses the wire, and strings have a built-in serializer.
            layer.AddToGroupAsync(add.Group, add.Channel).PipeTo(replyTo, success: () => add.Group);
        });
        Receive<RemoteGroupRemove>(remove =>
        {
            var replyTo = Sender;
            layer.RemoveFromGroupAsync(remove.Group, remove.Channel).PipeTo(replyTo, success: () => remove.Group);
        });
        Receive<SubscribeGroup>(subscribe =>
        {
            if (_groups.Add(subscribe.Group))
            {
                // Before the topic: the other nodes start publishing to the group no later than their mediators learn of it.
                TellPeers(new GroupJoinedHere(subscribe.Group));
            }

            if (!_clustered || _subscribed.Contains(subscribe.Group))
            {
                // Alone in the cluster, nobody else could send to the group: its topic waits for a second node.
                Sender.Tell(Done.Instance);
                return;
            }

            Subscribe(subscribe.Group).Add(Sender);
        });
        Receive<ClusterEvent.MemberUp>(up =>
        {
            KnowMember(up.Member.Address);
            if (!_clustered && up.Member.Address != Akka.Cluster.Cluster.Get(Context.System).SelfAddress)
            {
                // A second node: from now on every group with members here needs its topic.
                _clustered = true;
                foreach (var group in _groups.Where(g => !_subscribed.Contains(g)))
                {
                    Subscribe(group);
                }
            }
        });
        Receive<SubscribeAck>(ack =>
        {
            if (_groups.Contains(ack.Subscribe.Topic))
            {
                _subscribed.Add(ack.Subscribe.Topic);
            }

            if (_pendingSubscriptions.Remove(ack.Subscribe.Topic, out var waiting))
            {
                Answer(waiting);
            }
        });
        Receive<UnsubscribeGroup>(unsubscribe =>
        {
            if (_groups.Remove(unsubscribe.Group))
            {
                TellPeers(new GroupLeftHere(unsubscribe.Group));
            }

            var pending = _pendingSubscriptions.Remove(unsubscribe.Group, out var waiting);
            if (_subscribed.Remove(unsubscribe.Group) || pending)
            {
                // The mediator handles it after any subscription still on its way; a later join subscribes anew.
                mediator.Tell(new Unsubscribe(unsubscribe.Group, Self));
            }

            Answer(waiting ?? []);
        });
        Receive<UnsubscribeAck>(_ => { });
        Receive<Pause>(_ =>
        {
            Sender.Tell(Done.Instance);
            Become(Paused);
        });
        Receive<RegisterWorker>(register =>
        {
            var name = "worker-" + register.Channel;
            var child = Context.Child(name);
            if (child.IsNobody())
            {
                child = Context.ActorOf(Props.Create(() => new WorkerEndpoint(layer)), name);
            }

            mediator.Tell(new Put(child));
        });
        Receive<UnregisterWorker>(unregister =>
        {
            mediator.Tell(new Remove(ClusterChannelLayer.WorkerPath(unregister.Channel)));
            Context.Stop(Context.Child("worker-" + unregister.Channel));
        });
        ReceivePeerGroups();
        Receive<ClusterEvent.IMemberEvent>(member => KnowMember(member.Member.Address));
    }

    /// <summary>
    /// Which groups the other nodes have members of, so that the layer publishes a group send only when one of them
    /// does. Each hub sends every other member's hub its groups when it first sees that member (asking for theirs in
    /// return), then each first join and last leave as they happen. Messages between two hubs keep their order, so a
    /// node's list is exact once its answer has come; until then, and while a node is unreachable, the layer publishes
    /// every group send, as it did before it knew.
    /// </summary>
    private void ReceivePeerGroups()
    {
        Receive<GroupsHere>(here =>
        {
            var address = Sender.Path.Address;
            var isNew = false;
            if (!_peers.TryGetValue(address, out var peer))
            {
                _peers[address] = peer = new Peer();
                isNew = true;
            }

            // Additions first, so that a group both lists hold never looks unsubscribed.
            var groups = new HashSet<string>(here.Groups, StringComparer.Ordinal);
            foreach (var group in groups)
            {
                if (peer.Groups.Add(group))
                {
                    _layer.GroupJoinedElsewhere(group);
                }
            }

            foreach (var group in peer.Groups.Where(g => !groups.Contains(g)).ToList())
            {
                peer.Groups.Remove(group);
                _layer.GroupLeftElsewhere(group);
            }

            peer.Heard = true;
            if (isNew || here.Reply)
            {
                TellGroups(address, reply: false);
            }

            UpdatePeersHeard();
        });
        Receive<GroupJoinedHere>(joined =>
        {
            if (PeerOf(Sender.Path.Address).Groups.Add(joined.Group))
            {
                _layer.GroupJoinedElsewhere(joined.Group);
            }
        });
        Receive<GroupLeftHere>(left =>
        {
            if (PeerOf(Sender.Path.Address).Groups.Remove(left.Group))
            {
                _layer.GroupLeftElsewhere(left.Group);
            }
        });
    }

    /// <summary>A member seen for the first time: it gets this node's groups and is asked for its own.</summary>
    private void KnowMember(Address address)
    {
        if (address == _self || _peers.ContainsKey(address))
        {
            return;
        }

        _peers[address] = new Peer();
        TellGroups(address, reply: true);
        UpdatePeersHeard();
    }

    /// <summary>A node that sent something before this hub knew it: it is asked for its whole list.</summary>
    private Peer PeerOf(Address address)
    {
        if (!_peers.TryGetValue(address, out var peer))
        {
            _peers[address] = peer = new Peer();
            TellGroups(address, reply: true);
            UpdatePeersHeard();
        }

        return peer;
    }

    private void ForgetMember(Address address)
    {
        if (_peers.Remove(address, out var peer))
        {
            foreach (var group in peer.Groups)
            {
                _layer.GroupLeftElsewhere(group);
            }

            UpdatePeersHeard();
        }
    }

    private void TellGroups(Address address, bool reply) => _layer.HubOf(address).Tell(new GroupsHere([.. _groups], reply), Self);

    private void TellPeers(LayerEnvelope message)
    {
        foreach (var address in _peers.Keys)
        {
            _layer.HubOf(address).Tell(message, Self);
        }
    }

    private void UpdatePeersHeard() => _layer.PeersHeard = _peers.Values.All(p => p.Heard && p.Reachable) ? _peers.Count : -1;

    private static void Answer(List<IActorRef> waiting)
    {
        foreach (var waiter in waiting.Where(w => !w.IsNobody()))
        {
            waiter.Tell(Done.Instance);
        }
    }

    /// <summary>Subscribes to <paramref name="group"/>'s topic once; returns who waits for the acknowledgement.</summary>
    private List<IActorRef> Subscribe(string group)
    {
        if (!_pendingSubscriptions.TryGetValue(group, out var waiting))
        {
            _pendingSubscriptions[group] = waiting = [];
            _mediator.Tell(new Subscribe(group, Self));
        }

        return waiting;
    }

    private void ReceiveFences()
    {
        Receive<Fence>(fence =>
        {
            if (!Sender.Equals(Self))
            {
                // Everything the sender numbered up to the fence came before it on the same connection: it is here.
                Sender.Tell(new FenceConfirmed(fence.Number), Self);
            }
        });
        Receive<FenceConfirmed>(confirmed =>
        {
            var node = Sender.Path.Address;
            if (!_unreachable.Contains(node))
            {
                _layer.Outbox.Confirm(node, confirmed.Number);
            }
        });
        Receive<FenceTick>(_ => _layer.PublishFence(always: ++_ticks % 20 == 0));
        Receive<ClusterEvent.UnreachableMember>(unreachable =>
        {
            _unreachable.Add(unreachable.Member.Address);
            _layer.Outbox.Forget(unreachable.Member.Address);
            if (_peers.TryGetValue(unreachable.Member.Address, out var peer))
            {
                // Messages to and from it may be lost meanwhile: publish everything until its list is fresh again.
                peer.Reachable = false;
                UpdatePeersHeard();
            }
        });
        Receive<ClusterEvent.ReachableMember>(reachable =>
        {
            _unreachable.Remove(reachable.Member.Address);
            if (_peers.TryGetValue(reachable.Member.Address, out var peer))
            {
                peer.Reachable = true;
                peer.Heard = false;
                TellGroups(reachable.Member.Address, reply: true);
                UpdatePeersHeard();
            }
        });
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            _unreachable.Remove(removed.Member.Address);
            _layer.Outbox.Forget(removed.Member.Address);
            ForgetMember(removed.Member.Address);
        });
    }

    /// <summary>
    /// Test hook (<see cref="Pause"/>): a node too busy to keep up. Messages from other nodes, their fences included,
    /// wait in order until <see cref="Resume"/>; only this node's own fence timer carries on.
    /// </summary>
    private void Paused()
    {
        Receive<Resume>(_ =>
        {
            Become(Ready);
            Stash.UnstashAll();
        });
        Receive<FenceTick>(_ => _layer.PublishFence());
        ReceiveAny(_ => Stash.Stash());
    }

    /// <summary>Test hook: answer <see cref="Done"/>, then stop handling messages from other nodes until <see cref="Resume"/>.</summary>
    internal sealed record Pause;

    /// <summary>Test hook: handle the messages that waited, in order, and carry on.</summary>
    internal sealed record Resume;

    private sealed record FenceTick
    {
        public static readonly FenceTick Instance = new();
    }

    public sealed record SubscribeGroup(string Group);

    public sealed record UnsubscribeGroup(string Group);

    public sealed record RegisterWorker(string Channel);

    public sealed record UnregisterWorker(string Channel);

    /// <summary>Another member, as this hub knows it: the groups it said it has members of.</summary>
    private sealed class Peer
    {
        public HashSet<string> Groups { get; } = new(StringComparer.Ordinal);

        /// <summary>Its whole list has come (and nothing since was lost to an unreachable spell).</summary>
        public bool Heard { get; set; }

        public bool Reachable { get; set; } = true;
    }

    /// <summary>The registered endpoint of a worker channel on this node: hands each message to the local worker.</summary>
    private sealed class WorkerEndpoint : ReceiveActor
    {
        public WorkerEndpoint(ClusterChannelLayer layer) => Receive<ChannelEnvelope>(layer.DeliverLocally);
    }
}
