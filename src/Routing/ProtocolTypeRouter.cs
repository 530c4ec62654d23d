using Akka.Actor;
using Switchboard.Actors;

namespace Switchboard.Routing;

/// <summary>
/// Routes a connection by its protocol type (<c>websocket</c>, <c>http</c>, <c>channel</c>): Channels' <c>ProtocolTypeRouter</c>.
/// An unknown type is refused with <c>No application configured for scope type 'x'.</c>
/// </summary>
/// <example>
/// <code>
/// var application = new ProtocolTypeRouter
/// {
///     ["websocket"] = new UrlRouter { Routes.Path("ws/chat/{room}/", Consumer.Of&lt;ChatConsumer&gt;()) },
///     ["channel"] = new ChannelNameRouter { ["thumbnails"] = Consumer.Of&lt;ThumbnailWorker&gt;() },
/// };
/// </code>
/// </example>
public sealed class ProtocolTypeRouter : IApplication
{
    private readonly Dictionary<string, IApplication> _applications = new(StringComparer.Ordinal);

    /// <summary>The application for scopes of type <paramref name="type"/>.</summary>
    public IApplication this[string type]
    {
        get => _applications[type];
        set => _applications[type] = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Whether an application is configured for <paramref name="type"/>.</summary>
    public bool Handles(string type) => _applications.ContainsKey(type);

    /// <inheritdoc />
    public ValueTask<Props> ResolveAsync(ConnectionScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return _applications.TryGetValue(scope.Type, out var application)
            ? application.ResolveAsync(scope, cancellationToken)
            : throw new RouteNotFoundException($"No application configured for scope type '{scope.Type}'.");
    }

    /// <inheritdoc />
    public override string ToString() => $"ProtocolTypeRouter({string.Join(", ", _applications.Keys)})";
}
