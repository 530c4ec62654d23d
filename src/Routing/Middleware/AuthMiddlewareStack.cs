using Switchboard.Actors;

namespace Switchboard.Routing.Middleware;

/// <summary>
/// Cookies, sessions and the user: Channels' <c>AuthMiddlewareStack</c>, <c>CookieMiddleware(SessionMiddleware(AuthMiddleware(inner)))</c>.
/// On the gateway it needs ASP.NET Core sessions (<c>AddSession()</c>); for authentication alone, use <see cref="AuthMiddleware"/>.
/// </summary>
/// <example>
/// <code>
/// ["websocket"] = OriginValidator.AllowedHosts(
///     AuthMiddlewareStack.Wrap(
///         new UrlRouter { Routes.Path("ws/chat/{room}/", Consumer.Of&lt;ChatConsumer&gt;()) })),
/// </code>
/// </example>
public static class AuthMiddlewareStack
{
    /// <summary>Wraps <paramref name="inner"/> in <see cref="CookieMiddleware"/>, <see cref="SessionMiddleware"/> and <see cref="AuthMiddleware"/>.</summary>
    public static IApplication Wrap(IApplication inner, IConnectionSessionStore? store = null, IConnectionAuthenticator? authenticator = null) =>
        new CookieMiddleware(new SessionMiddleware(new AuthMiddleware(inner, authenticator), store));
}
