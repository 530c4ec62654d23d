using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Actors;
using Switchboard.Routing.Middleware;

namespace Switchboard.Gateway.Auth;

/// <summary>
/// Evaluates <see cref="RequireAuthorization"/>'s policies with ASP.NET Core's <see cref="IAuthorizationService"/>, from the
/// handshake's request services (so scoped authorization handlers work), with the connection's scope as the resource.
/// </summary>
internal sealed class AuthorizationServiceAuthorizer(IServiceProvider requestServices) : IConnectionAuthorizer
{
    public async ValueTask<bool> AuthorizeAsync(ClaimsPrincipal user, string policy, ConnectionScope scope, CancellationToken cancellationToken = default)
    {
        var authorization = requestServices.GetService<IAuthorizationService>() ?? throw new InvalidOperationException(
            $"RequireAuthorization with policy '{policy}' needs ASP.NET Core authorization: call builder.Services.AddAuthorization().");
        return (await authorization.AuthorizeAsync(user, scope, policy)).Succeeded;
    }
}
