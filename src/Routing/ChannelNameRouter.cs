using Akka.Actor;
using Switchboard.Actors;

namespace Switchboard.Routing;

/// <summary>
/// Routes a worker's <c>channel</c> scope by its channel name: Channels' <c>ChannelNameRouter</c>.
/// An unknown name is refused with <c>No application configured for channel name 'x'.</c>
/// </summary>
public sealed class ChannelNameRouter : IApplication
{
    private readonly Dictionary<string, IApplication> _applications = new(StringComparer.Ordinal);

    /// <summary>The application that serves the named channel <paramref name="channel"/>.</summary>
    public IApplication this[string channel]
    {
        get => _applications[channel];
        set => _applications[Actors.Layers.ChannelNames.RequireChannel(channel, nameof(channel))] = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The channel names this router serves.</summary>
    public IEnumerable<string> Channels => _applications.Keys;

    /// <inheritdoc />
    public ValueTask<Props> ResolveAsync(ConnectionScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (scope.Channel is not { } channel)
        {
            throw new RouteNotFoundException("ChannelNameRouter got a scope without a channel name: it routes 'channel' scopes from workers.");
        }

        return _applications.TryGetValue(channel, out var application)
            ? application.ResolveAsync(scope, cancellationToken)
            : throw new RouteNotFoundException($"No application configured for channel name '{channel}'.");
    }
}
