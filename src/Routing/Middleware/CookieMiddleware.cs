using Switchboard.Actors;

namespace Switchboard.Routing.Middleware;

/// <summary>
/// Fills <see cref="ConnectionScope.Cookies"/> from the scope's <c>cookie</c> headers: Channels' <c>CookieMiddleware</c>.
/// The gateway and the communicators already parse cookies when they build a scope, so in Switchboard this matters only
/// for a scope built by hand with headers but no cookies; a scope that has cookies passes through unchanged.
/// It is the outermost part of <see cref="AuthMiddlewareStack"/> and <see cref="SessionMiddlewareStack"/>.
/// </summary>
/// <param name="inner">The application that serves the connection.</param>
public sealed class CookieMiddleware(IApplication inner) : BaseMiddleware(inner)
{
    /// <inheritdoc />
    protected override ValueTask<ConnectionScope> TransformAsync(ConnectionScope scope, CancellationToken cancellationToken) =>
        new(scope.Cookies.Count > 0 ? scope : scope with { Cookies = ScopeParsing.ParseCookies(scope.Headers) });
}
