using Akka.Configuration;

namespace Switchboard.Actors.Hosting;

/// <summary>The channel layer's limits, read from <c>switchboard.channel-layer</c>.</summary>
/// <param name="Capacity">Undelivered messages one channel holds before sends to it are refused.</param>
/// <param name="Expiry">How long an undelivered message is kept.</param>
/// <param name="GroupExpiry">How long a group membership lasts after its last add.</param>
public sealed record ChannelLayerSettings(int Capacity, TimeSpan Expiry, TimeSpan GroupExpiry)
{
    /// <summary>Channels' defaults: capacity 100, expiry 60 s, group expiry 86400 s.</summary>
    public static ChannelLayerSettings Default { get; } = new(100, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(86400));

    /// <summary>Reads the settings from a <c>switchboard.channel-layer</c> section.</summary>
    public static ChannelLayerSettings FromConfig(Config section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var settings = new ChannelLayerSettings(
            section.GetInt("capacity", Default.Capacity),
            section.GetTimeSpan("expiry", Default.Expiry),
            section.GetTimeSpan("group-expiry", Default.GroupExpiry));
        if (settings.Capacity < 1)
        {
            throw new ConfigurationException($"switchboard.channel-layer.capacity must be at least 1 (got {settings.Capacity}).");
        }

        return settings;
    }
}

/// <summary>The cluster layer's sender-side flow control, read from <c>switchboard.channel-layer.cluster</c>.</summary>
/// <param name="MaxUnacknowledged">
/// Messages this node may have handed to remoting for other nodes that a reachable node has not yet confirmed.
/// </param>
/// <param name="FenceEvery">A confirmation is asked for after this many messages to other nodes.</param>
/// <param name="FenceInterval">...and at this interval while any are unconfirmed.</param>
/// <param name="BackpressureTimeout">
/// How long a send waits for room before its remote part is dropped (group sends) or refused (direct sends).
/// </param>
public sealed record ClusterLayerSettings(int MaxUnacknowledged, int FenceEvery, TimeSpan FenceInterval, TimeSpan BackpressureTimeout)
{
    /// <summary>The defaults: 10,000 unconfirmed messages, a fence every 100 messages or 50 ms, a 2 s wait for room.</summary>
    public static ClusterLayerSettings Default { get; } = new(10_000, 100, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(2));

    /// <summary>Reads the settings from a <c>switchboard.channel-layer.cluster</c> section.</summary>
    public static ClusterLayerSettings FromConfig(Config section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var settings = new ClusterLayerSettings(
            section.GetInt("max-unacknowledged", Default.MaxUnacknowledged),
            section.GetInt("fence-every", Default.FenceEvery),
            section.GetTimeSpan("fence-interval", Default.FenceInterval),
            section.GetTimeSpan("backpressure-timeout", Default.BackpressureTimeout));
        if (settings.FenceEvery < 1 || settings.MaxUnacknowledged < settings.FenceEvery)
        {
            throw new ConfigurationException(
                $"switchboard.channel-layer.cluster needs 1 <= fence-every <= max-unacknowledged (got fence-every = {settings.FenceEvery}, max-unacknowledged = {settings.MaxUnacknowledged}).");
        }

        if (settings.FenceInterval <= TimeSpan.Zero || settings.BackpressureTimeout < TimeSpan.Zero)
        {
            throw new ConfigurationException("switchboard.channel-layer.cluster.fence-interval must be positive and backpressure-timeout at least 0.");
        }

        return settings;
    }
}

/// <summary>Consumer settings, read from <c>switchboard.consumer</c>.</summary>
/// <param name="DisconnectTimeout">How long <c>OnDisconnectAsync</c> may run before the consumer is stopped anyway.</param>
public sealed record ConsumerSettings(TimeSpan DisconnectTimeout)
{
    /// <summary>The defaults.</summary>
    public static ConsumerSettings Default { get; } = new(TimeSpan.FromSeconds(10));

    /// <summary>How many groups one consumer's channel may be in at once; 0 for no limit.</summary>
    public int MaxGroups { get; init; } = 100;

    /// <summary>Reads the settings from a <c>switchboard.consumer</c> section.</summary>
    public static ConsumerSettings FromConfig(Config section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var settings = new ConsumerSettings(section.GetTimeSpan("disconnect-timeout", Default.DisconnectTimeout))
        {
            MaxGroups = section.GetInt("max-groups", Default.MaxGroups),
        };
        if (settings.MaxGroups < 0)
        {
            throw new ConfigurationException($"switchboard.consumer.max-groups must be at least 0 (got {settings.MaxGroups}); 0 means no limit.");
        }

        return settings;
    }
}

/// <summary>Loads the <c>reference.conf</c> files that Switchboard's assemblies embed.</summary>
public static class SwitchboardConfig
{
    private static readonly Lazy<Config> ActorsReference = new(() => Embedded(typeof(SwitchboardConfig).Assembly, "Switchboard.Actors.reference.conf"));

    /// <summary>The defaults of Switchboard.Actors.</summary>
    public static Config ActorsDefaults => ActorsReference.Value;

    /// <summary>Reads an embedded HOCON resource.</summary>
    public static Config Embedded(System.Reflection.Assembly assembly, string resourceName)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Embedded configuration '{resourceName}' is missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }

    /// <summary>The <c>switchboard</c> section of <paramref name="config"/>, with this assembly's defaults behind it.</summary>
    public static Config Section(Config config, string path)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.WithFallback(ActorsDefaults).GetConfig(path) ?? Config.Empty;
    }
}
