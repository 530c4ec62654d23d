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

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_system.IsValueCreated && _system.Value is var system)
        {
            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
        }
    }

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
    }
}

/// <summary>The node's HOCON configuration, built once by <see cref="NodeConfiguration.Load"/>.</summary>
/// <param name="Value">The configuration.</param>
public sealed record NodeConfig(Config Value);
