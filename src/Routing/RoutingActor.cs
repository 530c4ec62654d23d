using Akka.Actor;
using Microsoft.Extensions.Logging;
using Switchboard.Actors;
using Switchboard.Actors.Hosting;
using Switchboard.Actors.Protocol;

namespace Switchboard.Routing;

/// <summary>
/// The routing actor of a node: resolves the application for each new connection once, at connect time,
/// starts the consumer under one of its child supervisors, and supervises it there. A consumer that fails is stopped (its
/// own connection is closed with 1011); no other connection notices. Answers <see cref="OpenConnection"/>
/// with <see cref="ConnectionOpened"/> or <see cref="ConnectionRefused"/>, to the sender or to <see cref="OpenConnection.Reply"/>.
/// </summary>
public sealed class RoutingActor : ReceiveActor
{
    /// <summary>
    /// How many child supervisors the consumers are spread over, round robin. Each is started on first use, so a routing
    /// actor that serves one connection (a communicator's) starts one.
    /// </summary>
    internal const int ShardCount = 64;

    private readonly IActorRef?[] _shards = new IActorRef?[ShardCount];
    private readonly ConnectionCounter _count = new();
    private readonly ILogger _logger;
    private readonly Props _shardProps;
    private int _next;

    /// <summary>Creates the routing actor for <paramref name="application"/>.</summary>
    public RoutingActor(IApplication application)
    {
        ArgumentNullException.ThrowIfNull(application);
        _logger = SwitchboardRuntime.Get(Context.System).LoggerFactory.CreateLogger<RoutingActor>();

        // One props for every shard: Props.Create evaluates its expression each time it is called.
        _shardProps = ConsumerShard.Props(_count, _logger);

        Receive<OpenConnection>(open =>
        {
            var replyTo = Sender;
            ValueTask<Props> resolving;
            try
            {
                resolving = application.ResolveAsync(open.Scope);
            }
#pragma warning disable CA1031 // Any resolution failure becomes a refusal of this connection only.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Refuse(_logger, open, replyTo, e);
                return;
            }

            if (resolving.IsCompletedSuccessfully)
            {
                Start(open, replyTo, resolving.Result);
            }
            else
            {
                resolving.AsTask().PipeTo(Self, success: props => new Resolved(open, replyTo, props), failure: e => new ResolveFailed(open, replyTo, e));
            }
        });
        Receive<Resolved>(resolved => Start(resolved.Open, resolved.ReplyTo, resolved.Props));
        Receive<ResolveFailed>(failed => Refuse(_logger, failed.Open, failed.ReplyTo, failed.Error));
        Receive<CountConnections>(_ => Sender.Tell(_count.Value));
    }

    /// <summary>Creates the props of a routing actor for <paramref name="application"/>.</summary>
    public static Props Props(IApplication application) => Akka.Actor.Props.Create(() => new RoutingActor(application));

    /// <inheritdoc />
    // A shard that throws has a bug, but stopping or restarting it would stop every consumer it supervises.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Resume);

    private void Start(OpenConnection open, IActorRef replyTo, Props props)
    {
        if (open.Timeout is { } timeout && System.Diagnostics.Stopwatch.GetElapsedTime(open.IssuedAt) > timeout)
        {
            RoutingLog.ResolvedTooLate(_logger, open.Scope.Path, timeout);
            return;
        }

        var index = _next;
        _next = (index + 1) % ShardCount;
        var shard = _shards[index] ??= Context.ActorOf(_shardProps, $"consumers-{index}");
        shard.Tell(new ConsumerShard.StartConsumer(open, replyTo, props));
    }

    /// <summary>Answers the request: to its <see cref="OpenConnection.Reply"/> when it has one, else to <paramref name="replyTo"/>.</summary>
    internal static void Answer(OpenConnection open, IActorRef replyTo, object answer)
    {
        if (open.Reply is { } reply)
        {
            reply.TrySetResult(answer);
        }
        else
        {
            replyTo.Tell(answer);
        }
    }

    internal static void Refuse(ILogger logger, OpenConnection open, IActorRef replyTo, Exception error)
    {
        var refusal = error switch
        {
            ConnectionRefusedException refused => new ConnectionRefused(refused.StatusCode, refused.Message, null),
            _ => new ConnectionRefused(500, $"The application failed to resolve path '{open.Scope.Path}': {error.GetType().Name}: {error.Message}", error),
        };
        if (refusal.Error is not null)
        {
            RoutingLog.ResolveFailed(logger, refusal.Error, open.Scope.Path);
        }

        Answer(open, replyTo, refusal);
    }

    /// <summary>
    /// Asks how many connections' consumers the routing actor supervises (worker channels' consumers are not counted);
    /// the answer is an <see cref="int"/>.
    /// </summary>
    public sealed record CountConnections
    {
        /// <summary>The one instance.</summary>
        public static CountConnections Instance { get; } = new();
    }

    private sealed record Resolved(OpenConnection Open, IActorRef ReplyTo, Props Props);

    private sealed record ResolveFailed(OpenConnection Open, IActorRef ReplyTo, Exception Error);
}

internal static partial class RoutingLog
{
    [LoggerMessage(1, LogLevel.Error, "Resolving the application for path '{Path}' failed; the connection is refused with 500.")]
    public static partial void ResolveFailed(ILogger logger, Exception error, string path);

    [LoggerMessage(3, LogLevel.Warning, "Resolving the application for path '{Path}' took longer than the {Timeout} the transport waits; no consumer was started.")]
    public static partial void ResolvedTooLate(ILogger logger, string path, TimeSpan timeout);

    [LoggerMessage(2, LogLevel.Error, "Consumer {Consumer} could not be constructed; the connection is refused with 500.")]
    public static partial void ConsumerConstructionFailed(ILogger logger, Exception error, string consumer);
}
