using Akka;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Actors;
using Switchboard.Actors.Hosting;
using Switchboard.Actors.Layers;
using Switchboard.Gateway.WebSockets;
using Switchboard.Routing;

namespace Switchboard.Gateway.Hosting;

/// <summary>
/// One Switchboard node inside an ASP.NET Core host: the actor system named <c>switchboard</c>, its routing
/// actor, and (when the provider is <c>cluster</c>) its cluster membership. Started and stopped with the host;
/// on stop, open sockets are closed with 1001 and the node leaves the cluster.
/// </summary>
public sealed partial class SwitchboardNode : IHostedLifecycleService, IAsyncDisposable
{
    private readonly SwitchboardOptions _options;
    private readonly IServiceProvider _services;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly Lazy<ActorSystem> _system;
    private IActorRef? _router;

    /// <summary>Created by dependency injection.</summary>
    public SwitchboardNode(IOptions<SwitchboardOptions> options, NodeConfig config, ConnectionRegistry connections, IServiceProvider services, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(config);
        _options = options.Value;
        Config = config.Value;
        Connections = connections;
        _services = services;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<SwitchboardNode>();
        Settings = GatewaySettings.FromConfig(Config.GetConfig("switchboard.websocket") ?? Akka.Configuration.Config.Empty);
        _system = new Lazy<ActorSystem>(CreateSystem);
    }

    /// <summary>The node's full configuration.</summary>
    public Config Config { get; }

    /// <summary>The WebSocket limits.</summary>
    public GatewaySettings Settings { get; }

    /// <summary>The channel layer: in memory on a single node, DistributedPubSub on a cluster (<c>switchboard.channel-layer.type</c>).</summary>
    public IChannelLayer ChannelLayer => SwitchboardRuntime.Get(System).ChannelLayer;

    /// <summary>The open WebSocket connections of this node.</summary>
    public ConnectionRegistry Connections { get; }

    /// <summary>The actor system, once started.</summary>
    public ActorSystem System => _system.Value;

    /// <summary>The routing actor, once started.</summary>
    public IActorRef Router => _router ?? throw new InvalidOperationException("The Switchboard node has not started yet.");

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var application = _options.Application ?? throw new InvalidOperationException("AddSwitchboard needs an application: set options.Application.");
        var system = System;
        _ = ChannelLayer;
        _router = system.ActorOf(RoutingActor.Props(application), "switchboard");

        if (system.Settings.ProviderClass.Contains("Cluster", StringComparison.OrdinalIgnoreCase))
        {
            var cluster = Cluster.Get(system);
            if (cluster.Settings.SeedNodes.Count == 0)
            {
                // No seeds configured: this node is its own seed (the single-node default).
                cluster.Join(cluster.SelfAddress);
            }

            NodeLog.Started(_logger, cluster.SelfAddress.ToString(), string.Join(", ", cluster.Settings.SeedNodes));
        }

        StartWorkers(system, application);

        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceUnbind, "close-websockets", async () =>
        {
            await Connections.CloseAllAsync(Settings.CloseTimeout);
            await AwaitConsumersStoppedAsync(CancellationToken.None);
            return Done.Instance;
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Closes open sockets with 1001 as soon as the host begins to stop. This cannot wait for <see cref="StopAsync"/>:
    /// the server is stopped before it, and waits for open requests (every WebSocket is one) until its shutdown
    /// timeout, then drops them without a close frame.
    /// </summary>
    public Task StoppingAsync(CancellationToken cancellationToken) => Connections.CloseAllAsync(Settings.CloseTimeout);

    /// <summary>
    /// Waits for the consumers to finish (their sockets were closed in <see cref="StoppingAsync"/>, so each is running or
    /// has run its <c>OnDisconnectAsync</c>), then shuts the actor system down: the node leaves its cluster.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_system.IsValueCreated && _system.Value is var system)
        {
            await AwaitConsumersStoppedAsync(cancellationToken);
            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
        }
    }

    /// <summary>
    /// Waits until no consumer of a connection is left, so that shutting the actor system down does not cut an
    /// <c>OnDisconnectAsync</c> short (one that saves state, or tells a room its user left). Bounded by what those can take:
    /// a close handshake (<c>close-timeout</c>) and then <c>switchboard.consumer.disconnect-timeout</c>; and by the host's
    /// own shutdown timeout, through <paramref name="cancellationToken"/>.
    /// </summary>
    private async Task AwaitConsumersStoppedAsync(CancellationToken cancellationToken)
    {
        if (_router is not { } router)
        {
            return;
        }

        var bound = Settings.CloseTimeout + SwitchboardRuntime.Get(System).ConsumerSettings.DisconnectTimeout + TimeSpan.FromSeconds(1);
        var deadline = DateTime.UtcNow + bound;
        var live = 0;
        try
        {
            while (DateTime.UtcNow < deadline)
            {
                live = await router.Ask<int>(RoutingActor.CountConnections.Instance, TimeSpan.FromSeconds(2), cancellationToken);
                if (live == 0)
                {
                    return;
                }

                await Task.Delay(ConsumerPollInterval, cancellationToken);
            }
        }
        catch (Exception e) when (e is AskTimeoutException or OperationCanceledException)
        {
            // The routing actor is gone or the host gives up waiting: shut down now.
        }

        if (live > 0)
        {
            NodeLog.ConsumersStillRunning(_logger, live, bound.TotalSeconds);
        }
    }

    private static readonly TimeSpan ConsumerPollInterval = TimeSpan.FromMilliseconds(50);

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_system.IsValueCreated && _system.Value is var system)
        {
            await system.Terminate();
        }
    }

    /// <summary>
    /// On a node with the worker role (<c>switchboard.workers.role</c>, <c>--akka-roles worker</c>), serves the worker
    /// channels: those listed in <c>switchboard.workers.channels</c>, or else every channel of the application's
    /// <see cref="ChannelNameRouter"/> under the <c>channel</c> protocol type.
    /// </summary>
    private void StartWorkers(ActorSystem system, IApplication application)
    {
        var section = Config.GetConfig("switchboard.workers") ?? Akka.Configuration.Config.Empty;
        var role = section.GetString("role", "worker");
        var roles = Config.GetStringList("akka.cluster.roles") ?? [];
        if (!roles.Contains(role))
        {
            return;
        }

        IReadOnlyCollection<string> channels = section.GetStringList("channels") is { Count: > 0 } listed
            ? [.. listed]
            : application is ProtocolTypeRouter router && router.Handles(ScopeTypes.Channel) && router[ScopeTypes.Channel] is ChannelNameRouter names
                ? [.. names.Channels]
                : [];
        if (channels.Count > 0)
        {
            system.ActorOf(WorkerHost.Props(Router, channels), "workers");
        }
    }

    private ActorSystem CreateSystem() => ActorSystem.Create(_options.SystemName, BootstrapSetup.Create().WithConfig(Config)
        .And(new SwitchboardSetup { Services = _services, LoggerFactory = _loggerFactory }));

    private static partial class NodeLog
    {
        [LoggerMessage(1, LogLevel.Information, "Switchboard node {Address} started (seeds: {Seeds}).")]
        public static partial void Started(ILogger logger, string address, string seeds);

        [LoggerMessage(2, LogLevel.Warning, "The node is shutting down with {Count} consumers still running (waited at most {Seconds} s: close-timeout plus switchboard.consumer.disconnect-timeout, or the host's shutdown timeout); their OnDisconnectAsync may not finish.")]
        public static partial void ConsumersStillRunning(ILogger logger, int count, double seconds);
    }
}

/// <summary>The node's HOCON configuration, built once by <see cref="NodeConfiguration.Load"/>.</summary>
/// <param name="Value">The configuration.</param>
public sealed record NodeConfig(Config Value);
