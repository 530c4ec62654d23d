using Akka.Configuration;

namespace Switchboard.Gateway.Hosting;

/// <summary>The WebSocket gateway's limits, read from <c>switchboard.websocket</c>.</summary>
public sealed record GatewaySettings
{
    /// <summary>The largest message accepted; larger closes with 1009.</summary>
    public int MaxMessageSize { get; init; } = 1024 * 1024;

    /// <summary>Idle time before a keep-alive ping.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a ping may go unanswered before the socket is closed.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the consumer has to accept or refuse.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Frames queued for the socket before the client counts as too slow.</summary>
    public int OutboundQueueSize { get; init; } = 1024;

    /// <summary>Frames handed to the consumer and not yet handled.</summary>
    public int MaxFramesInFlight { get; init; } = 16;

    /// <summary>How long a close handshake may take.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Open WebSockets per node; 0 for no limit.</summary>
    public int MaxConnections { get; init; }

    /// <summary>Messages per second one connection may send, on average; over it the socket closes with 1008. 0 for no limit.</summary>
    public double RateLimitMessagesPerSecond { get; init; } = 100;

    /// <summary>Messages one connection may send at once before <see cref="RateLimitMessagesPerSecond"/> applies.</summary>
    public int RateLimitBurst { get; init; } = 200;

    /// <summary>Reads the settings from a <c>switchboard.websocket</c> section.</summary>
    public static GatewaySettings FromConfig(Config section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var defaults = new GatewaySettings();
        var settings = new GatewaySettings
        {
            MaxMessageSize = checked((int)(section.GetByteSize("max-message-size") ?? defaults.MaxMessageSize)),
            KeepAliveInterval = section.GetTimeSpan("keep-alive-interval", defaults.KeepAliveInterval),
            KeepAliveTimeout = section.GetTimeSpan("keep-alive-timeout", defaults.KeepAliveTimeout),
            HandshakeTimeout = section.GetTimeSpan("handshake-timeout", defaults.HandshakeTimeout),
            OutboundQueueSize = section.GetInt("outbound-queue-size", defaults.OutboundQueueSize),
            MaxFramesInFlight = section.GetInt("max-frames-in-flight", defaults.MaxFramesInFlight),
            CloseTimeout = section.GetTimeSpan("close-timeout", defaults.CloseTimeout),
            MaxConnections = section.GetInt("max-connections", defaults.MaxConnections),
            RateLimitMessagesPerSecond = section.GetDouble("rate-limit.messages-per-second", defaults.RateLimitMessagesPerSecond),
            RateLimitBurst = section.GetInt("rate-limit.burst", defaults.RateLimitBurst),
        };
        if (settings.MaxMessageSize < 1 || settings.OutboundQueueSize < 1 || settings.MaxFramesInFlight < 1 || settings.MaxConnections < 0)
        {
            throw new ConfigurationException("switchboard.websocket: max-message-size, outbound-queue-size and max-frames-in-flight must be at least 1, max-connections at least 0.");
        }

        if (!(settings.RateLimitMessagesPerSecond >= 0) || double.IsInfinity(settings.RateLimitMessagesPerSecond) || settings.RateLimitBurst < 1)
        {
            throw new ConfigurationException("switchboard.websocket.rate-limit: messages-per-second must be a number of at least 0 (0 turns the limit off), burst at least 1.");
        }

        return settings;
    }
}
