using System.Security.Claims;
using System.Text.Json;
using Switchboard.Actors;

namespace Switchboard.Routing.Middleware;

/// <summary>
/// How a user logged in with <see cref="SessionLogin.Login"/> is kept in the session: the claims of each authenticated identity
/// as JSON under <see cref="SessionLogin.SessionKey"/>. The session lives in the server's store, so what it holds is trusted.
/// </summary>
internal static class SessionUser
{
    public static ClaimsPrincipal Anonymous() => new(new ClaimsIdentity());

    public static ClaimsPrincipal? Read(IConnectionSession session)
    {
        if (session.Get(SessionLogin.SessionKey) is not { Length: > 0 } json)
        {
            return null;
        }

        try
        {
            var stored = JsonSerializer.Deserialize<StoredIdentity[]>(json);
            if (stored is not { Length: > 0 })
            {
                return null;
            }

            var principal = new ClaimsPrincipal(stored.Select(identity => new ClaimsIdentity(
                identity.Claims.Select(claim => new Claim(claim.Type, claim.Value)),
                identity.AuthenticationType,
                identity.NameClaimType,
                identity.RoleClaimType)));
            return AuthMiddleware.IsAuthenticated(principal) ? principal : null;
        }
        catch (JsonException)
        {
            // Not written by Login (or by an older format): nobody is logged in.
            return null;
        }
    }

    public static void Write(IConnectionSession session, ClaimsPrincipal user)
    {
        var stored = user.Identities
            .Where(identity => identity.IsAuthenticated)
            .Select(identity => new StoredIdentity(
                identity.AuthenticationType!,
                identity.NameClaimType,
                identity.RoleClaimType,
                [.. identity.Claims.Select(claim => new StoredClaim(claim.Type, claim.Value))]))
            .ToArray();
        session.Set(SessionLogin.SessionKey, JsonSerializer.Serialize(stored));
    }

    /// <summary>The stable identifier of a user: its name identifier, or else its name.</summary>
    public static string? IdOf(ClaimsPrincipal user) =>
        user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? user.Identity?.Name;

    private sealed record StoredIdentity(string AuthenticationType, string NameClaimType, string RoleClaimType, StoredClaim[] Claims);

    private sealed record StoredClaim(string Type, string Value);
}
