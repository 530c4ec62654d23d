using Akka.Actor.Setup;
using Microsoft.Extensions.Logging;
using Switchboard.Actors.Layers;

namespace Switchboard.Actors.Hosting;

/// <summary>
/// What a host gives Switchboard's consumers when it creates the actor system: the service provider that
/// consumers are constructed from, the channel layer, the logger factory and the clock. Anything left
/// <see langword="null"/> gets a default (an empty provider, an in-memory layer, no logging, the system clock).
/// </summary>
public sealed class SwitchboardSetup : Setup
{
    /// <summary>Constructor injection for consumers.</summary>
    public IServiceProvider? Services { get; init; }

    /// <summary>The channel layer consumers use.</summary>
    public IChannelLayer? ChannelLayer { get; init; }

    /// <summary>Where consumers and the framework log.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>The clock for expiry and timeouts (a fake one in tests).</summary>
    public TimeProvider? Time { get; init; }
}
