using System.Security.Claims;
using Switchboard.Actors;

namespace Switchboard.Routing.Middleware;

/// <summary>
/// Evaluates a named authorization policy for <see cref="RequireAuthorization"/>. The gateway provides one backed by ASP.NET
/// Core's <c>IAuthorizationService</c> (the policies of <c>AddAuthorization</c>); tests and other hosts give their own.
/// </summary>
public interface IConnectionAuthorizer
{
    /// <summary>Whether <paramref name="user"/> satisfies <paramref name="policy"/> for the connection described by <paramref name="scope"/>.</summary>
    ValueTask<bool> AuthorizeAsync(ClaimsPrincipal user, string policy, ConnectionScope scope, CancellationToken cancellationToken = default);
}
