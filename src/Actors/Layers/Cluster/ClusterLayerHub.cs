using Akka;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.PublishSubscribe;

namespace Switchboard.Actors.Layers.Cluster;

/// <summary>
/// The cluster layer's actor on each node: subscribed to the topics of groups with local members, the target of
/// direct sends from other nodes, the parent of one registered child per local worker channel, and the keeper of the
/// fences of <see cref="RemoteOutbox"/>: it confirms other nodes' fences and records their confirmations of this node's.
/// </summary>
internal sealed class ClusterLayerHub : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    private readonly Dictionary<string, List<IActorRef>> _pendingSubscriptions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _subscribed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _groups = new(StringComparer.Ordinal);
    private bool _clustered;
    private readonly HashSet<Address> _unreachable = [];
    private readonly ClusterChannelLayer _layer;
    private readonly IActorRef _mediator;
    private readonly TimeSpan _fenceInterval;
    private long _ticks;

    public ClusterLayerHub(ClusterChannelLayer layer, IActorRef mediator, TimeSpan fenceInterval)
    {
        _layer = layer;
        _mediator = mediator;
        _fenceInterval = fenceInterval;
        Ready();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    protected override void PreStart()
    {
        _mediator.Tell(new Subscribe(ClusterChannelLayer.FenceTopic, Self));
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(
            Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.UnreachableMember), typeof(ClusterEvent.ReachableMember), typeof(ClusterEvent.MemberRemoved));
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
            _groups.Add(subscribe.Group);
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
            _groups.Remove(unsubscribe.Group);
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
    }

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
        });
        Receive<ClusterEvent.ReachableMember>(reachable => _unreachable.Remove(reachable.Member.Address));
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            _unreachable.Remove(removed.Member.Address);
            _layer.Outbox.Forget(removed.Member.Address);
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

    /// <summary>The registered endpoint of a worker channel on this node: hands each message to the local worker.</summary>
    private sealed class WorkerEndpoint : ReceiveActor
    {
        public WorkerEndpoint(ClusterChannelLayer layer) => Receive<ChannelEnvelope>(layer.DeliverLocally);
    }
}
