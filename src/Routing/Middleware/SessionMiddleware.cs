using Switchboard.Actors;

namespace Switchboard.Routing.Middleware;

/// <summary>
/// Fills <see cref="ConnectionScope.Session"/> from a session store, by the key in the session cookie: Channels'
/// <c>SessionMiddleware</c>. A scope that already has a session passes through, so the middleware nests safely (and a
/// communicator's <c>WithSession</c> wins). As in Channels, a WebSocket session is never saved automatically: a consumer
/// that changes it calls <see cref="IConnectionSession.SaveAsync"/>.
/// </summary>
/// <remarks>
/// The store is <paramref name="store"/> when given, otherwise the one the host attached to the scope (the gateway attaches
/// ASP.NET Core's when the app calls <c>AddSession()</c>). With neither, resolving fails (HTTP 500) with a message that says so.
/// The cookie is <paramref name="cookieName"/> when given, otherwise the store's <see cref="IConnectionSessionStore.CookieName"/>.
/// </remarks>
/// <param name="inner">The application that serves the connection.</param>
/// <param name="store">The session store, or <see langword="null"/> for the host's.</param>
/// <param name="cookieName">The session cookie's name, or <see langword="null"/> for the store's.</param>
public sealed class SessionMiddleware(IApplication inner, IConnectionSessionStore? store = null, string? cookieName = null) : BaseMiddleware(inner)
{
    /// <summary>ASP.NET Core's session cookie: <c>.AspNetCore.Session</c>.</summary>
    public const string DefaultCookieName = ".AspNetCore.Session";

    /// <inheritdoc />
    protected override async ValueTask<ConnectionScope> TransformAsync(ConnectionScope scope, CancellationToken cancellationToken)
    {
        if (scope.Session is not null)
        {
            return scope;
        }

        var sessions = store ?? scope.Extensions.Get<IConnectionSessionStore>() ?? throw new InvalidOperationException(
            "SessionMiddleware has no session store. In ASP.NET Core, call builder.Services.AddDistributedMemoryCache() (or another " +
            "IDistributedCache) and builder.Services.AddSession(); elsewhere, give the middleware an IConnectionSessionStore; " +
            "in a communicator test, call WithSession(new TestSession()).");
        var key = scope.Cookies.GetValueOrDefault(cookieName ?? sessions.CookieName);
        return scope with { Session = await sessions.LoadAsync(string.IsNullOrEmpty(key) ? null : key, cancellationToken) };
    }
}
