using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Switchboard.Gateway.Hosting;

namespace Switchboard.Gateway.Auth;

/// <summary>
/// Browsers cannot set headers on a WebSocket, so a bearer token travels as <c>?access_token=</c>. At the very start of the
/// pipeline (before <c>UseAuthentication</c>, which would otherwise cache an anonymous result), a WebSocket handshake with no
/// <c>Authorization</c> header and exactly one non-empty <c>access_token</c> gets <c>Authorization: Bearer &lt;token&gt;</c>,
/// so that whatever bearer handler the app configured (JwtBearer, or its own) sees it: what ASP.NET Core's documentation does
/// in <c>JwtBearerEvents.OnMessageReceived</c>, for every handler. The token is never logged by Switchboard, and the header it
/// made is left out of the connection's scope.
/// </summary>
internal static class QueryStringAccessToken
{
    public const string Parameter = "access_token";

    /// <summary>The <c>HttpContext.Items</c> key that marks a request whose <c>Authorization</c> header came from the query string.</summary>
    public static readonly object Marker = new();

    public static Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (IsWebSocketHandshake(context) &&
            request.Headers.Authorization.Count == 0 &&
            request.Query.TryGetValue(Parameter, out var tokens) &&
            tokens is [{ Length: > 0 } token])
        {
            request.Headers.Authorization = "Bearer " + token;
            context.Items[Marker] = true;
        }

        return next(context);
    }

    private static bool IsWebSocketHandshake(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method))
        {
            foreach (var upgrade in request.Headers.Upgrade)
            {
                if (upgrade is not null && upgrade.Contains("websocket", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }

        // HTTP/2 and HTTP/3 WebSockets: an extended CONNECT with :protocol websocket.
        return context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect &&
            string.Equals(connect.Protocol, "websocket", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Puts <see cref="InvokeAsync"/> first in the pipeline, unless <see cref="SwitchboardOptions.AccessTokenFromQueryString"/> is off.</summary>
    internal sealed class StartupFilter(IOptions<SwitchboardOptions> options) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            if (options.Value.AccessTokenFromQueryString)
            {
                app.Use(InvokeAsync);
            }

            next(app);
        };
    }
}
