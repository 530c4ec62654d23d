using Akka.Actor;
using Microsoft.Extensions.Logging;
using Switchboard.Actors;
using Switchboard.Actors.Hosting;
using Switchboard.Actors.Protocol;

namespace Switchboard.Routing;

/// <summary>
/// One of the routing actor's child supervisors: starts the consumers the routing actor hands it, watches them, and stops
/// any that fails. Consumers are spread over several of these because Akka keeps an actor's children in an immutable
/// map that is copied on every child started and stopped: with thousands of connections under one parent, that copy is
/// most of what a connect allocates in the routing actor.
/// </summary>
internal sealed class ConsumerShard : ReceiveActor
{
    private readonly Dictionary<IActorRef, Started> _started = [];
    private readonly ConnectionCounter _count;
    private readonly ILogger _logger;
    private readonly bool _hasConsumerMailbox = Context.System.Settings.Config.HasPath(ConsumerMailbox.ConfigPath + ".mailbox-type");

    public ConsumerShard(ConnectionCounter count, ILogger logger)
    {
        _count = count;
        _logger = logger;
        Receive<StartConsumer>(Start);
        Receive<Terminated>(terminated =>
        {
            if (_started.Remove(terminated.ActorRef, out var started))
            {
                if (started.Counted)
                {
                    _count.Decrement();
                }

                started.Transport?.ConsumerStopped();
            }
        });
    }

    public static Props Props(ConnectionCounter count, ILogger logger) => Akka.Actor.Props.Create(() => new ConsumerShard(count, logger));

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(Decide);

    private Directive Decide(Exception error)
    {
        // A consumer whose constructor threw never ran: fail its transport here (HTTP 500).
        if (error is ActorInitializationException { Actor: { } actor } init && _started.TryGetValue(actor, out var started))
        {
            // Akka wraps what a constructor throws in a TypeLoadException ("Error while creating actor instance");
            // report the consumer's own exception, so that tests see its type and the log leads with it.
            var cause = init.InnerException is TypeLoadException { InnerException: { } thrown } ? thrown : init.InnerException ?? init;
            RoutingLog.ConsumerConstructionFailed(_logger, cause, actor.Path.Name);
            started.Transport?.Fail(cause);
        }

        return Directive.Stop;
    }

    private void Start(StartConsumer start)
    {
        IActorRef consumer;
        try
        {
            consumer = Context.ActorOf(WithConsumerMailbox(start.Props));
        }
#pragma warning disable CA1031 // Invalid props refuse this connection only.
        catch (Exception e)
#pragma warning restore CA1031
        {
            RoutingActor.Refuse(_logger, start.Open, start.ReplyTo, e);
            return;
        }

        Context.Watch(consumer);
        // Connections are counted; a worker channel's consumer is not one (it lives as long as its node).
        var counted = start.Open.Scope.Type != ScopeTypes.Channel;
        _started[consumer] = new Started(start.Open.Transport, counted);
        if (counted)
        {
            _count.Increment();
        }

        if (start.Open.Transport is { } transport)
        {
            consumer.Tell(new AttachTransport(transport));
        }

        RoutingActor.Answer(start.Open, start.ReplyTo, new ConnectionOpened(consumer));
    }

    // Consumers get Switchboard's lean mailbox unless their props name one, and only where the system's configuration has
    // it (a node's always does; a bare test ActorSystem may not).
    private Props WithConsumerMailbox(Props props)
    {
        if (!_hasConsumerMailbox || !string.IsNullOrEmpty(props.Mailbox))
        {
            return props;
        }

        // Props.WithMailbox builds a new Deploy per call, and Akka parses an empty configuration for every Deploy it
        // builds: for the usual default deployment, share one.
        return props.Deploy.Equals(Deploy.None) ? new MailboxProps(props) : props.WithMailbox(ConsumerMailbox.ConfigPath);
    }

    /// <summary>A consumer this shard started: its transport (none for a worker) and whether it counts as a connection.</summary>
    private readonly record struct Started(IConnectionTransport? Transport, bool Counted);

    /// <summary>A consumer's props with the default deployment plus the consumer mailbox, one <see cref="Deploy"/> for all.</summary>
    private sealed class MailboxProps : Props
    {
        private static readonly Deploy Shared = new ConsumerDeploy();

        public MailboxProps(Props props)
            : base(props) => Deploy = Shared;
    }

    /// <summary>
    /// The default deployment with the consumer mailbox. Akka merges a child's deployment with the defaults when it starts
    /// it, building a new <see cref="Deploy"/> (and parsing an empty configuration) each time; merged with the defaults,
    /// this one is already the result.
    /// </summary>
    private sealed class ConsumerDeploy()
        : Deploy(Deploy.None.Path, Deploy.None.Config, Deploy.None.RouterConfig, Deploy.None.Scope, Deploy.None.Dispatcher, ConsumerMailbox.ConfigPath, Deploy.None.StashCapacity)
    {
        public override Deploy WithFallback(Deploy other) => other is not null && other.Equals(None) ? this : base.WithFallback(other!);
    }

    /// <summary>Starts the consumer of <paramref name="Open"/> from <paramref name="Props"/> and answers whoever asked.</summary>
    internal sealed record StartConsumer(OpenConnection Open, IActorRef ReplyTo, Props Props);
}

/// <summary>
/// How many consumers a routing actor's shards supervise. Shared by the routing actor (which answers
/// <see cref="RoutingActor.CountConnections"/>) and its shards (which count), so that counting costs no message per connection.
/// </summary>
internal sealed class ConnectionCounter
{
    private int _value;

    public int Value => Volatile.Read(ref _value);

    public void Increment() => Interlocked.Increment(ref _value);

    public void Decrement() => Interlocked.Decrement(ref _value);
}
