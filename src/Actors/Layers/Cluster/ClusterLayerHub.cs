using Akka;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;

namespace Switchboard.Actors.Layers.Cluster;

/// <summary>
/// The cluster layer's actor on each node: subscribed to the topics of groups with local members, the target of
/// direct sends from other nodes, and the parent of one registered child per local worker channel.
/// </summary>
internal sealed class ClusterLayerHub : ReceiveActor
{
    private readonly Dictionary<string, List<IActorRef>> _pendingSubscriptions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _subscribed = new(StringComparer.Ordinal);

    public ClusterLayerHub(ClusterChannelLayer layer, IActorRef mediator)
    {
        Receive<GroupEnvelope>(envelope => layer.DeliverToLocalGroup(envelope));
        Receive<ChannelEnvelope>(layer.DeliverLocally);
        Receive<RemoteGroupAdd>(add =>
        {
            var replyTo = Sender;
            // Answered with a string: it crosses the wire, and strings have a built-in serializer.
            layer.AddToGroupAsync(add.Group, add.Channel).PipeTo(replyTo, success: () => add.Group);
        });
        Receive<SubscribeGroup>(subscribe =>
        {
            if (_subscribed.Contains(subscribe.Group))
            {
                Sender.Tell(Done.Instance);
                return;
            }

            if (!_pendingSubscriptions.TryGetValue(subscribe.Group, out var waiting))
            {
                _pendingSubscriptions[subscribe.Group] = waiting = [];
                mediator.Tell(new Subscribe(subscribe.Group, Self));
            }

            waiting.Add(Sender);
        });
        Receive<SubscribeAck>(ack =>
        {
            _subscribed.Add(ack.Subscribe.Topic);
            if (_pendingSubscriptions.Remove(ack.Subscribe.Topic, out var waiting))
            {
                waiting.ForEach(w => w.Tell(Done.Instance));
            }
        });
        Receive<UnsubscribeGroup>(unsubscribe =>
        {
            _subscribed.Remove(unsubscribe.Group);
            mediator.Tell(new Unsubscribe(unsubscribe.Group, Self));
        });
        Receive<UnsubscribeAck>(_ => { });
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
