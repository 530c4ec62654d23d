using Microsoft.AspNetCore.Http;
using Switchboard.Actors;
using Switchboard.Routing.Middleware;

namespace Switchboard.Gateway.Auth;

/// <summary>
/// What the gateway attaches to a WebSocket scope for the middleware: the handshake's authentication result
/// (<see cref="IConnectionAuthenticator"/>), policy evaluation (<see cref="IConnectionAuthorizer"/>) and the session store
/// (<see cref="IConnectionSessionStore"/>). Middleware that no route uses costs one default-scheme authentication per
/// handshake, which <c>UseAuthentication</c> has usually done already.
/// </summary>
internal static class HandshakeServices
{
    public static async ValueTask<ConnectionScope> AttachAsync(HttpContext context, ConnectionScope scope, IConnectionSessionStore? sessions)
    {
        var extensions = scope.Extensions
            .With<IConnectionAuthenticator>(await HandshakeAuthenticator.AuthenticateAsync(context))
            .With<IConnectionAuthorizer>(new AuthorizationServiceAuthorizer(context.RequestServices));
        if (sessions is not null)
        {
            extensions = extensions.With<IConnectionSessionStore>(sessions);
        }

        var headers = scope.Headers;
        if (context.Items.ContainsKey(QueryStringAccessToken.Marker))
        {
            // The client sent no such header: the token is in the query string, where the scope already has it.
            headers = headers.RemoveAll(header => header.Key == "authorization");
        }

        return scope with { Extensions = extensions, Headers = headers };
    }
}
