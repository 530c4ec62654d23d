using Switchboard.Actors;
using Switchboard.Routing.Middleware;

namespace Switchboard.Routing.Security;

/// <summary>
/// Refuses a WebSocket handshake (HTTP 403) whose <c>Origin</c> header is not allowed, then hands the
/// connection to the inner application: Channels' <c>OriginValidator</c>. The matching rules are those of
/// <see cref="OriginMatcher.IsAllowed"/>.
/// </summary>
/// <param name="application">The application that serves allowed connections.</param>
/// <param name="allowedOrigins">Origin patterns: <c>*</c>, <c>https://example.com</c>, <c>example.com</c>, <c>.example.com</c>, <c>localhost:8000</c>.</param>
public sealed class OriginValidator(IApplication application, IReadOnlyList<string> allowedOrigins) : BaseMiddleware(application)
{
    /// <summary>
    /// An origin validator whose allowed origins are the deployment's allowed hosts (ASP.NET Core's <c>AllowedHosts</c>,
    /// read per connection from the scope), or the local machine when none are configured: Channels' <c>AllowedHostsOriginValidator</c>.
    /// </summary>
    public static IApplication AllowedHosts(IApplication application) => new AllowedHostsValidator(application);

    /// <inheritdoc />
    protected override ValueTask<ConnectionScope> TransformAsync(ConnectionScope scope, CancellationToken cancellationToken)
    {
        Check(scope, allowedOrigins);
        return new(scope);
    }

    internal static void Check(ConnectionScope scope, IReadOnlyList<string> allowed)
    {
        var origin = scope.GetHeader("origin");
        if (!OriginMatcher.IsAllowed(origin, allowed))
        {
            throw new ConnectionRefusedException(origin is null
                ? "The handshake has no Origin header, and the allowed origins do not include '*'."
                : $"Origin '{origin}' is not allowed.");
        }
    }

    private sealed class AllowedHostsValidator(IApplication application) : BaseMiddleware(application)
    {
        protected override ValueTask<ConnectionScope> TransformAsync(ConnectionScope scope, CancellationToken cancellationToken)
        {
            var hosts = scope.Extensions.Get<AllowedHosts>() ?? Security.AllowedHosts.LocalOnly;
            Check(scope, hosts.Hosts);
            return new(scope);
        }
    }
}
