using System.Security.Claims;
using Switchboard.Actors;
using Switchboard.Actors.Consumers;

namespace Switchboard.Routing.Middleware;

/// <summary>
/// Logging a user in and out from a consumer: Channels' <c>login(scope, user)</c> and <c>logout(scope)</c>. Both change the
/// consumer's session and its <see cref="ConsumerActor.Scope"/>'s user; neither saves the session, so call
/// <see cref="IConnectionSession.SaveAsync"/> afterwards, as in Channels. The next connection with the same session is given
/// the user by <see cref="AuthMiddleware"/>.
/// </summary>
/// <remarks>
/// A session login is seen by WebSocket connections only: ASP.NET Core's HTTP authentication does not read it. It cannot
/// end a sign-in that came with the handshake (an authentication cookie or a bearer token), which <see cref="AuthMiddleware"/>
/// prefers; sign those out over HTTP. Unlike Django, the session key is not rotated on login (an open WebSocket cannot set a
/// cookie), so for sign-ins that matter, prefer an HTTP sign-in that issues a fresh cookie.
/// </remarks>
/// <example>
/// <code>
/// protected override async Task OnReceiveJsonAsync(JsonElement content)
/// {
///     this.Login(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], "chat")));
///     await Scope.Session!.SaveAsync();
/// }
/// </code>
/// </example>
public static class SessionLogin
{
    /// <summary>The session key under which a logged-in user's claims are kept.</summary>
    public const string SessionKey = "_switchboard_auth_user";

    /// <summary>
    /// Logs <paramref name="user"/> in to the consumer's session and makes it the consumer's <see cref="ConnectionScope.User"/>.
    /// When the session held another user, it is cleared first (Channels flushes it).
    /// </summary>
    /// <exception cref="InvalidOperationException">The scope has no session (wrap the consumer in <see cref="SessionMiddleware"/>).</exception>
    /// <exception cref="ArgumentException"><paramref name="user"/> is not authenticated.</exception>
    public static void Login(this ConsumerActor consumer, ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentNullException.ThrowIfNull(user);
        if (!AuthMiddleware.IsAuthenticated(user))
        {
            throw new ArgumentException("Login needs an authenticated user: a ClaimsIdentity with an authentication type.", nameof(user));
        }

        var session = SessionOf(consumer, nameof(Login));
        if (SessionUser.Read(session) is { } previous && SessionUser.IdOf(previous) != SessionUser.IdOf(user))
        {
            session.Clear();
        }

        SessionUser.Write(session, user);
        consumer.Scope = consumer.Scope with { User = user };
    }

    /// <summary>
    /// Logs the consumer's user out: clears the session (Channels flushes it) and makes the consumer's user anonymous.
    /// </summary>
    /// <exception cref="InvalidOperationException">The scope has no session (wrap the consumer in <see cref="SessionMiddleware"/>).</exception>
    public static void Logout(this ConsumerActor consumer)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        SessionOf(consumer, nameof(Logout)).Clear();
        consumer.Scope = consumer.Scope with { User = SessionUser.Anonymous() };
    }

    private static IConnectionSession SessionOf(ConsumerActor consumer, string verb) =>
        consumer.Scope.Session ?? throw new InvalidOperationException(
            $"{verb} needs a session in the scope: wrap the consumer in SessionMiddleware (AuthMiddlewareStack.Wrap does).");
}
