using Akka.Actor;
using Microsoft.Extensions.Logging;
using Switchboard.Actors;
using Switchboard.Actors.Hosting;

namespace Switchboard.Routing;

/// <summary>
/// Runs the consumers of a node's worker channels (Channels' <c>runworker</c>): opens a <c>channel</c> scope for each
/// name through the routing actor, watches the consumer, and starts it again (after <see cref="RestartDelay"/>) when
/// it stops, for example after an unhandled exception, so that the channel keeps being served.
/// </summary>
public sealed class WorkerHost : ReceiveActor, IWithTimers
{
    /// <summary>How long a stopped or refused worker waits before it is started again.</summary>
    public static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(1);

    private readonly Dictionary<IActorRef, string> _running = [];

    /// <summary>Serves <paramref name="channels"/> with the application behind <paramref name="router"/>.</summary>
    public WorkerHost(IActorRef router, IReadOnlyCollection<string> channels)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(channels);
        var logger = SwitchboardRuntime.Get(Context.System).LoggerFactory.CreateLogger<WorkerHost>();

        Receive<Open>(open =>
        {
            var scope = new ConnectionScope { Type = ScopeTypes.Channel, Channel = open.Channel, Path = "", RawPath = "" };
            router.Ask<object>(new OpenConnection(scope, null), TimeSpan.FromSeconds(10))
                .PipeTo(Self, success: reply => new Opened(open.Channel, reply), failure: e => new Opened(open.Channel, e));
        });
        Receive<Opened>(opened =>
        {
            if (opened.Reply is ConnectionOpened { Consumer: var consumer })
            {
                _running[consumer] = opened.Channel;
                Context.Watch(consumer);
                WorkerLog.Started(logger, opened.Channel);
                return;
            }

            WorkerLog.CouldNotStart(logger, opened.Channel, opened.Reply is ConnectionRefused refused ? refused.Reason : opened.Reply.ToString() ?? "");
            Timers.StartSingleTimer(opened.Channel, new Open(opened.Channel), RestartDelay);
        });
        Receive<Terminated>(terminated =>
        {
            if (_running.Remove(terminated.ActorRef, out var channel))
            {
                WorkerLog.Restarting(logger, channel, RestartDelay);
                Timers.StartSingleTimer(channel, new Open(channel), RestartDelay);
            }
        });

        foreach (var channel in channels)
        {
            Self.Tell(new Open(channel));
        }
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The props of a worker host.</summary>
    public static Props Props(IActorRef router, IReadOnlyCollection<string> channels) =>
        Akka.Actor.Props.Create(() => new WorkerHost(router, channels));

    private sealed record Open(string Channel);

    private sealed record Opened(string Channel, object Reply);
}

internal static partial class WorkerLog
{
    [LoggerMessage(1, LogLevel.Information, "Worker for channel '{Channel}' started.")]
    public static partial void Started(ILogger logger, string channel);

    [LoggerMessage(2, LogLevel.Warning, "Worker for channel '{Channel}' stopped; it starts again in {Delay}.")]
    public static partial void Restarting(ILogger logger, string channel, TimeSpan delay);

    [LoggerMessage(3, LogLevel.Error, "Worker for channel '{Channel}' could not start ({Reason}); retrying.")]
    public static partial void CouldNotStart(ILogger logger, string channel, string reason);
}
