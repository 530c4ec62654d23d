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
    /// Unset, ASP.NET Core's <c>AllowedHosts</c> means <c>*</c> to its host filtering, but not here: the gateway passes a list
    /// of just <c>*</c> on only when the configuration sets it, and a refusal under the local-machine fallback says that
    /// <c>AllowedHosts</c> is not configured.
    /// </summary>
    public static IApplication AllowedHosts(IApplication application) => new AllowedHostsValidator(application);

    /// <inheritdoc />
    protected override ValueTask<ConnectionScope> TransformAsync(ConnectionScope scope, CancellationToken cancellationToken)
    {
        Check(scope, allowedOrigins);
        return new(scope);
    }

    internal static void Check(ConnectionScope scope, IReadOnlyList<string> allowed, string? why = null)
    {
        var origin = scope.GetHeader("origin");
        if (!OriginMatcher.IsAllowed(origin, allowed))
        {
            throw new ConnectionRefusedException((origin is null
                ? "The handshake has no Origin header, and the allowed origins do not include '*'."
                : $"Origin '{origin}' is not allowed.") + why);
        }
    }

    private sealed class AllowedHostsValidator(IApplication application) : BaseMiddleware(application)
    {
        private const string NoneConfigured =
            " AllowedHosts is not configured, so only the local machine is allowed: set AllowedHosts (appsettings.json, the environment or --AllowedHosts) to the host names clients reach this server by, or to * for any origin.";

        protected override ValueTask<ConnectionScope> TransformAsync(ConnectionScope scope, CancellationToken cancellationToken)
        {
            if (scope.Extensions.Get<AllowedHosts>() is { } hosts)
            {
                Check(scope, hosts.Hosts);
            }
            else
            {
                Check(scope, Security.AllowedHosts.LocalOnly.Hosts, NoneConfigured);
            }
            return new(scope);
        }
    }
}
