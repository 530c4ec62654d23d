using System.Security.Claims;
using Switchboard.Actors;

namespace Switchboard.Routing.Middleware;

/// <summary>
/// Fills <see cref="ConnectionScope.User"/> before the inner application runs: Channels' <c>AuthMiddleware</c>, with ASP.NET
/// Core authentication in place of Django's. The user is, in order:
/// <list type="number">
/// <item>the scope's user, when it is already authenticated (by <c>app.UseAuthentication()</c> before the gateway, by
/// middleware above, or by a communicator's <c>WithUser</c>);</item>
/// <item>the user the authenticator finds in the handshake's credentials (the gateway's runs the app's default
/// authentication scheme);</item>
/// <item>the user a consumer logged in to the session with <see cref="SessionLogin.Login"/>;</item>
/// <item>otherwise an anonymous principal.</item>
/// </list>
/// </summary>
/// <remarks>
/// The authenticator is <paramref name="authenticator"/> when given, otherwise the one the host attached to the scope (the
/// gateway always attaches one). With no authenticator and no session, resolving fails (HTTP 500) with a message that says so.
/// </remarks>
/// <param name="inner">The application that serves the connection.</param>
/// <param name="authenticator">The authenticator, or <see langword="null"/> for the host's.</param>
public sealed class AuthMiddleware(IApplication inner, IConnectionAuthenticator? authenticator = null) : BaseMiddleware(inner)
{
    /// <inheritdoc />
    protected override async ValueTask<ConnectionScope> TransformAsync(ConnectionScope scope, CancellationToken cancellationToken)
    {
        if (IsAuthenticated(scope.User))
        {
            return scope;
        }

        var source = authenticator ?? scope.Extensions.Get<IConnectionAuthenticator>();
        if (source is null && scope.Session is null)
        {
            throw new InvalidOperationException(
                "AuthMiddleware has no authenticator and no session to find the user in. Serve the application with the gateway " +
                "(AddSwitchboard), give the middleware an IConnectionAuthenticator, put SessionMiddleware above it " +
                "(AuthMiddlewareStack.Wrap does), or in a communicator test call WithUser or WithSession.");
        }

        if (source is not null && await source.AuthenticateAsync(scope, cancellationToken) is { } found && IsAuthenticated(found))
        {
            return scope with { User = found };
        }

        if (scope.Session is { } session && SessionUser.Read(session) is { } loggedIn)
        {
            return scope with { User = loggedIn };
        }

        // The scope of a handshake without credentials already holds an anonymous user: no new one, no copy of the scope.
        return IsAnonymous(scope.User) ? scope : scope with { User = SessionUser.Anonymous() };
    }

    /// <summary>What <see cref="SessionUser.Anonymous"/> makes: one unauthenticated identity with no claims.</summary>
    private static bool IsAnonymous(ClaimsPrincipal user) =>
        user.Identity is ClaimsIdentity { IsAuthenticated: false } identity && user.Identities.Count() == 1 && !identity.Claims.Any();

    internal static bool IsAuthenticated(ClaimsPrincipal user) => user.Identities.Any(identity => identity.IsAuthenticated);
}
