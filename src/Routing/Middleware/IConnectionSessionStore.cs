using Switchboard.Actors;

namespace Switchboard.Routing.Middleware;

/// <summary>
/// Where <see cref="SessionMiddleware"/> loads sessions from. The gateway provides one backed by ASP.NET Core's session
/// (<c>AddSession()</c> and an <c>IDistributedCache</c>), so that HTTP requests and WebSocket consumers share sessions;
/// tests and other hosts give their own to the middleware's constructor.
/// </summary>
public interface IConnectionSessionStore
{
    /// <summary>The cookie that carries the session key. ASP.NET Core's default is <c>.AspNetCore.Session</c>.</summary>
    string CookieName => SessionMiddleware.DefaultCookieName;

    /// <summary>
    /// Loads the session named by <paramref name="sessionKey"/>, the session cookie's value as the client sent it (a store
    /// may protect its keys; ASP.NET Core's does), or a new, empty session when it is <see langword="null"/>, unknown or invalid.
    /// </summary>
    ValueTask<IConnectionSession> LoadAsync(string? sessionKey, CancellationToken cancellationToken = default);
}
