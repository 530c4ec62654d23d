using Akka.Actor;
using Microsoft.Extensions.Logging;
using Switchboard.Actors;
using Switchboard.Actors.Hosting;
using Switchboard.Actors.Protocol;

namespace Switchboard.Routing;

/// <summary>
/// The routing actor of a node: resolves the application for each new connection once, at connect time,
/// starts the consumer as its child, and supervises it. A consumer that fails is stopped (its own
/// connection is closed with 1011); no other connection notices. Answers <see cref="OpenConnection"/>
/// with <see cref="ConnectionOpened"/> or <see cref="ConnectionRefused"/>.
/// </summary>
public sealed class RoutingActor : ReceiveActor
{
    private readonly Dictionary<IActorRef, IConnectionTransport?> _transports = [];
    private readonly ILogger _logger;

    /// <summary>Creates the routing actor for <paramref name="application"/>.</summary>
    public RoutingActor(IApplication application)
    {
        ArgumentNullException.ThrowIfNull(application);
        _logger = SwitchboardRuntime.Get(Context.System).LoggerFactory.CreateLogger<RoutingActor>();

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
                Refuse(open, replyTo, e);
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
        Receive<ResolveFailed>(failed => Refuse(failed.Open, failed.ReplyTo, failed.Error));
        Receive<Terminated>(terminated =>
        {
            if (_transports.Remove(terminated.ActorRef, out var transport))
            {
                transport?.ConsumerStopped();
            }
        });
        Receive<CountConnections>(_ => Sender.Tell(_transports.Count));
    }

    /// <summary>Creates the props of a routing actor for <paramref name="application"/>.</summary>
    public static Props Props(IApplication application) => Akka.Actor.Props.Create(() => new RoutingActor(application));

    /// <inheritdoc />
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(Decide);

    private Directive Decide(Exception error)
    {
        // A consumer whose constructor threw never ran: fail its transport here (HTTP 500).
        if (error is ActorInitializationException { Actor: { } actor } init && _transports.TryGetValue(actor, out var transport))
        {
            // Akka wraps what a constructor throws in a TypeLoadException ("Error while creating actor instance");
            // report the consumer's own exception, so that tests see its type and the log leads with it.
            var cause = init.InnerException is TypeLoadException { InnerException: { } thrown } ? thrown : init.InnerException ?? init;
            RoutingLog.ConsumerConstructionFailed(_logger, cause, actor.Path.Name);
            transport?.Fail(cause);
        }

        return Directive.Stop;
    }

    private void Start(OpenConnection open, IActorRef replyTo, Props props)
    {
        if (open.Timeout is { } timeout && System.Diagnostics.Stopwatch.GetElapsedTime(open.IssuedAt) > timeout)
        {
            RoutingLog.ResolvedTooLate(_logger, open.Scope.Path, timeout);
            return;
        }

        IActorRef consumer;
        try
        {
            consumer = Context.ActorOf(props);
        }
#pragma warning disable CA1031 // Invalid props refuse this connection only.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Refuse(open, replyTo, e);
            return;
        }

        Context.Watch(consumer);
        _transports[consumer] = open.Transport;
        if (open.Transport is { } transport)
        {
            consumer.Tell(new AttachTransport(transport));
        }

        replyTo.Tell(new ConnectionOpened(consumer));
    }

    private void Refuse(OpenConnection open, IActorRef replyTo, Exception error)
    {
        var refusal = error switch
        {
            ConnectionRefusedException refused => new ConnectionRefused(refused.StatusCode, refused.Message, null),
            _ => new ConnectionRefused(500, $"The application failed to resolve path '{open.Scope.Path}': {error.GetType().Name}: {error.Message}", error),
        };
        if (refusal.Error is not null)
        {
            RoutingLog.ResolveFailed(_logger, refusal.Error, open.Scope.Path);
        }

        replyTo.Tell(refusal);
    }

    /// <summary>Asks how many consumers the routing actor supervises; the answer is an <see cref="int"/>.</summary>
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
