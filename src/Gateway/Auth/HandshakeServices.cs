using Microsoft.AspNetCore.Http;
using Switchboard.Actors;
using Switchboard.Gateway.WebSockets;
using Switchboard.Routing.Middleware;
using Switchboard.Routing.Security;

namespace Switchboard.Gateway.Auth;

/// <summary>
/// What the gateway attaches to a WebSocket scope for the middleware: the handshake's authentication result
/// (<see cref="IConnectionAuthenticator"/>), policy evaluation (<see cref="IConnectionAuthorizer"/>) and the session store
/// (<see cref="IConnectionSessionStore"/>). Middleware that no route uses costs one default-scheme authentication per
/// handshake, which <c>UseAuthentication</c> has usually done already.
/// </summary>
internal static class HandshakeServices
{
    /// <summary>The scope of a WebSocket handshake, with everything attached, built once.</summary>
    public static async ValueTask<ConnectionScope> CreateScopeAsync(HttpContext context, AllowedHosts? allowedHosts, IConnectionSessionStore? sessions)
    {
        var authenticator = await HandshakeAuthenticator.AuthenticateAsync(context);
        KeyValuePair<Type, object> authentication = new(typeof(IConnectionAuthenticator), authenticator);
        KeyValuePair<Type, object> authorization = new(typeof(IConnectionAuthorizer), new AuthorizationServiceAuthorizer(context.RequestServices));

        // Sessions and allowed hosts only when the app has them; one bag either way.
        var extensions = (sessions, allowedHosts) switch
        {
            (null, null) => ScopeExtensions.Empty.With(authentication, authorization),
            ({ } store, null) => ScopeExtensions.Empty.With(authentication, authorization, new(typeof(IConnectionSessionStore), store)),
            (null, { } hosts) => ScopeExtensions.Empty.With(authentication, authorization, new(typeof(AllowedHosts), hosts)),
            ({ } store, { } hosts) => ScopeExtensions.Empty.With(
                authentication, authorization, new(typeof(IConnectionSessionStore), store), new(typeof(AllowedHosts), hosts)),
        };

        // A bearer token from the query string reached the handler as an Authorization header that the client never sent:
        // the scope leaves it out (the token is still in the scope's query string).
        return ScopeFactory.Create(context, ScopeTypes.WebSocket, extensions, dropAuthorization: context.Items.ContainsKey(QueryStringAccessToken.Marker));
    }
}
