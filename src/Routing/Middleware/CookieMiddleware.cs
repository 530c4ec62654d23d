using Switchboard.Actors;

namespace Switchboard.Routing.Middleware;

/// <summary>
/// Fills <see cref="ConnectionScope.Cookies"/> from the scope's <c>cookie</c> headers: Channels' <c>CookieMiddleware</c>.
/// The gateway and the communicators already parse cookies when they build a scope, so in Switchboard this matters only
/// for a scope built by hand with headers but no cookies; a scope that has cookies, or no cookie header, passes through unchanged.
/// It is the outermost part of <see cref="AuthMiddlewareStack"/> and <see cref="SessionMiddlewareStack"/>.
/// </summary>
/// <param name="inner">The application that serves the connection.</param>
public sealed class CookieMiddleware(IApplication inner) : BaseMiddleware(inner)
{
    /// <inheritdoc />
    protected override ValueTask<ConnectionScope> TransformAsync(ConnectionScope scope, CancellationToken cancellationToken)
    {
        if (scope.Cookies.Count > 0)
        {
            return new(scope);
        }

        // A handshake without a cookie header (most clients that are not browsers) has nothing to copy the scope for.
        var cookies = ScopeParsing.ParseCookies(scope.Headers);
        return new(cookies.Count > 0 ? scope with { Cookies = cookies } : scope);
    }
}
