using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Actors;
using Switchboard.Routing.Middleware;

namespace Switchboard.Gateway.Auth;

/// <summary>
/// The gateway's authenticator: the result of ASP.NET Core authentication with the app's default scheme, run in the request
/// pipeline while the handshake is held (the routing actor, which runs <see cref="AuthMiddleware"/>, never touches the
/// <see cref="HttpContext"/>). A bearer token in <c>?access_token=</c> reaches the handler as an <c>Authorization</c> header
/// (see <see cref="QueryStringAccessToken"/>).
/// </summary>
internal sealed class HandshakeAuthenticator : IConnectionAuthenticator
{
    private static readonly HandshakeAuthenticator Anonymous = new(null);

    private readonly ClaimsPrincipal? _user;

    private HandshakeAuthenticator(ClaimsPrincipal? user) => _user = user;

    /// <summary>Authenticates the handshake of <paramref name="context"/>, when the app configured authentication.</summary>
    public static async ValueTask<HandshakeAuthenticator> AuthenticateAsync(HttpContext context)
    {
        if (context.User.Identities.Any(identity => identity.IsAuthenticated))
        {
            // app.UseAuthentication() ran before the gateway and found the user.
            return new(context.User);
        }

        if (context.RequestServices.GetService<IAuthenticationSchemeProvider>() is not { } schemes ||
            await schemes.GetDefaultAuthenticateSchemeAsync() is null)
        {
            return Anonymous;
        }

        // In a service scope of its own, disposed here: resolved from the request's scope, the handler, the results it
        // caches and the scope's service table would stay reachable for as long as the socket is open (the request
        // lasts that long), about 1 KiB per idle connection.
        var requestServices = context.RequestServices;
        await using var services = requestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        context.RequestServices = services.ServiceProvider;
        try
        {
            var result = await context.AuthenticateAsync();
            return result.Succeeded ? new(result.Principal) : Anonymous;
        }
        finally
        {
            context.RequestServices = requestServices;
        }
    }

    public ValueTask<ClaimsPrincipal> AuthenticateAsync(ConnectionScope scope, CancellationToken cancellationToken = default) =>
        new(_user ?? new ClaimsPrincipal(new ClaimsIdentity()));
}
