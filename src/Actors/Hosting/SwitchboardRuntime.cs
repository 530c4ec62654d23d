using Akka.Actor;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Actors.Layers;
using Switchboard.Actors.Layers.Cluster;

namespace Switchboard.Actors.Hosting;

/// <summary>
/// Switchboard's per-actor-system services (an Akka extension): what consumers are built from and talk to.
/// Configured by a <see cref="SwitchboardSetup"/> passed when the system is created; defaults otherwise.
/// </summary>
public sealed class SwitchboardRuntime : IExtension
{
    internal SwitchboardRuntime(ExtendedActorSystem system)
    {
        var setup = system.Settings.Setup.Get<SwitchboardSetup>().GetOrElse(new SwitchboardSetup());
        Time = setup.Time ?? TimeProvider.System;
        LoggerFactory = setup.LoggerFactory ?? NullLoggerFactory.Instance;
        Services = setup.Services ?? EmptyServices.Instance;
        LayerSettings = ChannelLayerSettings.FromConfig(SwitchboardConfig.Section(system.Settings.Config, "switchboard.channel-layer"));
        ConsumerSettings = ConsumerSettings.FromConfig(SwitchboardConfig.Section(system.Settings.Config, "switchboard.consumer"));
        // Created on first use: a cluster layer needs the cluster, which is not ready while the system starts.
        _layer = new Lazy<IChannelLayer>(() => setup.ChannelLayer ?? CreateLayer(system));
    }

    /// <summary>The service provider consumers are constructed from.</summary>
    public IServiceProvider Services { get; }

    /// <summary>The channel layer consumers use.</summary>
    public IChannelLayer ChannelLayer => _layer.Value;

    private readonly Lazy<IChannelLayer> _layer;

    /// <summary>Where the framework and consumers log.</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>The channel layer's limits.</summary>
    public ChannelLayerSettings LayerSettings { get; }

    /// <summary>Consumer settings.</summary>
    public ConsumerSettings ConsumerSettings { get; }

    private IChannelLayer CreateLayer(ExtendedActorSystem system)
    {
        var type = SwitchboardConfig.Section(system.Settings.Config, "switchboard.channel-layer").GetString("type", "auto");
        var clustered = system.Settings.ProviderClass.Contains("Cluster", StringComparison.OrdinalIgnoreCase);
        return type switch
        {
            "in-memory" => new InMemoryChannelLayer(LayerSettings, Time),
            "cluster" when clustered => new ClusterChannelLayer(system, LayerSettings, Time),
            "cluster" => throw new Akka.Configuration.ConfigurationException("switchboard.channel-layer.type = cluster needs akka.actor.provider = cluster."),
            "auto" => clustered ? new ClusterChannelLayer(system, LayerSettings, Time) : new InMemoryChannelLayer(LayerSettings, Time),
            _ => throw new Akka.Configuration.ConfigurationException($"switchboard.channel-layer.type must be auto, in-memory or cluster (got '{type}')."),
        };
    }

    /// <summary>The runtime of <paramref name="system"/>.</summary>
    public static SwitchboardRuntime Get(ActorSystem system) => system.WithExtension<SwitchboardRuntime, SwitchboardRuntimeProvider>();

    private sealed class EmptyServices : IServiceProvider
    {
        public static readonly EmptyServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}

/// <summary>Creates the <see cref="SwitchboardRuntime"/> extension.</summary>
public sealed class SwitchboardRuntimeProvider : ExtensionIdProvider<SwitchboardRuntime>
{
    /// <inheritdoc />
    public override SwitchboardRuntime CreateExtension(ExtendedActorSystem system) => new(system);
}
