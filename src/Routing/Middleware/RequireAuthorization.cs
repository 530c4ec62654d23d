using Switchboard.Actors;

namespace Switchboard.Routing.Middleware;

/// <summary>
/// Refuses a connection (HTTP 403 at the handshake) unless its user is authenticated, or satisfies a named policy: the
/// WebSocket counterpart of ASP.NET Core's <c>RequireAuthorization()</c>. It reads <see cref="ConnectionScope.User"/>, so it
/// goes inside <see cref="AuthMiddleware"/> (or <see cref="AuthMiddlewareStack"/>).
/// </summary>
/// <example>
/// <code>
/// AuthMiddlewareStack.Wrap(new UrlRouter
/// {
///     Routes.Path("ws/private/{room}/", RequireAuthorization.Wrap(Consumer.Of&lt;ChatConsumer&gt;())),
///     Routes.Path("ws/admin/", RequireAuthorization.Wrap(adminRouter, "admins")),
/// });
/// </code>
/// </example>
public static class RequireAuthorization
{
    /// <summary>Serves a connection with <paramref name="application"/> only when its user is authenticated.</summary>
    public static IApplication Wrap(IApplication application) => new Check(application, null, null);

    /// <summary>
    /// Serves a connection with <paramref name="application"/> only when its user satisfies <paramref name="policy"/>, evaluated
    /// by <paramref name="authorizer"/> or else by the host's (the gateway's uses ASP.NET Core's <c>IAuthorizationService</c>,
    /// with the connection's scope as the resource).
    /// </summary>
    public static IApplication Wrap(IApplication application, string policy, IConnectionAuthorizer? authorizer = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(policy);
        return new Check(application, policy, authorizer);
    }

    private sealed class Check(IApplication inner, string? policy, IConnectionAuthorizer? authorizer) : BaseMiddleware(inner)
    {
        protected override async ValueTask<ConnectionScope> TransformAsync(ConnectionScope scope, CancellationToken cancellationToken)
        {
            if (policy is null)
            {
                return AuthMiddleware.IsAuthenticated(scope.User)
                    ? scope
                    : throw new ConnectionRefusedException("The connection needs an authenticated user.");
            }

            var evaluator = authorizer ?? scope.Extensions.Get<IConnectionAuthorizer>() ?? throw new InvalidOperationException(
                $"RequireAuthorization has no authorizer to evaluate policy '{policy}'. Serve the application with the gateway " +
                "(AddSwitchboard, with builder.Services.AddAuthorization()), or pass an IConnectionAuthorizer.");
            return await evaluator.AuthorizeAsync(scope.User, policy, scope, cancellationToken)
                ? scope
                : throw new ConnectionRefusedException($"The user does not satisfy the authorization policy '{policy}'.");
        }

        public override string ToString() => policy is null ? $"RequireAuthorization({Inner})" : $"RequireAuthorization({Inner}, '{policy}')";
    }
}
