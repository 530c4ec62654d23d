using System.Security.Claims;
using Switchboard.Actors;

namespace Switchboard.Routing.Middleware;

/// <summary>
/// Authenticates a connection from what its handshake carried, for <see cref="AuthMiddleware"/>. The gateway provides one
/// that runs ASP.NET Core authentication (the app's default scheme: cookies, bearer tokens, including a token passed as
/// <c>?access_token=</c>); tests and other hosts give their own to the middleware's constructor.
/// </summary>
public interface IConnectionAuthenticator
{
    /// <summary>The connection's user, or an unauthenticated principal when the handshake carried no valid credentials.</summary>
    ValueTask<ClaimsPrincipal> AuthenticateAsync(ConnectionScope scope, CancellationToken cancellationToken = default);
}
