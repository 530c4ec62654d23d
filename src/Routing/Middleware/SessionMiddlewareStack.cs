using Switchboard.Actors;

namespace Switchboard.Routing.Middleware;

/// <summary>Cookies and sessions: Channels' <c>SessionMiddlewareStack</c>, <c>CookieMiddleware(SessionMiddleware(inner))</c>.</summary>
public static class SessionMiddlewareStack
{
    /// <summary>Wraps <paramref name="inner"/> in <see cref="CookieMiddleware"/> and <see cref="SessionMiddleware"/>.</summary>
    public static IApplication Wrap(IApplication inner, IConnectionSessionStore? store = null) =>
        new CookieMiddleware(new SessionMiddleware(inner, store));
}
