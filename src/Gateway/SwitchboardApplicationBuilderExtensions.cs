using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Actors;
using Switchboard.Gateway.Auth;
using Switchboard.Gateway.Hosting;
using Switchboard.Gateway.WebSockets;
using Switchboard.Routing.Middleware;
using Switchboard.Routing.Security;

namespace Switchboard.Gateway;

/// <summary>Maps Switchboard onto an ASP.NET Core request pipeline.</summary>
public static class SwitchboardApplicationBuilderExtensions
{
    /// <summary>
    /// Serves every WebSocket handshake that reaches this point of the pipeline with the Switchboard application
    /// registered by <c>AddSwitchboard</c>; every other request goes on to the rest of the pipeline, so endpoints and
    /// static files keep working beside it. Mounted under a path base (<c>app.Map("/prefix", b =&gt; b.MapSwitchboard())</c>),
    /// routing matches below the prefix. The handshake is authenticated with the app's default authentication scheme for
    /// <c>AuthMiddleware</c>, and ASP.NET Core sessions (<c>AddSession()</c>) are offered to <c>SessionMiddleware</c>.
    /// </summary>
    /// <remarks>
    /// A request that asks for a WebSocket (<c>Upgrade: websocket</c>) but is not a valid handshake is refused here
    /// (400, or 426 for another WebSocket version) rather than passed on.
    /// </remarks>
    public static IApplicationBuilder MapSwitchboard(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var node = app.ApplicationServices.GetRequiredService<SwitchboardNode>();
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Switchboard.Gateway.WebSocket");
        var allowedHosts = new AllowedHostsCache(
            app.ApplicationServices.GetService<IOptionsMonitor<HostFilteringOptions>>(), app.ApplicationServices.GetService<IConfiguration>());
        var sessions = app.ApplicationServices.GetService<IConnectionSessionStore>();
        app.UseWebSockets();
        return app.Use(async (context, next) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                if (!await BrokenHandshake.TryRefuseAsync(context, logger))
                {
                    await next(context);
                }

                return;
            }

            var scope = await HandshakeServices.CreateScopeAsync(context, allowedHosts.Current(), sessions);
            var connection = new WebSocketConnection(context, scope, node.Settings, logger);
            await connection.RunAsync(node.Router, node.Connections);
        });
    }

    /// <summary>
    /// The allowed hosts of the current options, copied once per options value rather than per handshake. ASP.NET Core
    /// fills an unset <c>AllowedHosts</c> with <c>*</c> (its host filtering then lets every Host through); taken as it is,
    /// that would let every origin through <c>OriginValidator.AllowedHosts</c> in an app that never chose to. So a list of
    /// just <c>*</c> counts only when the configuration's <c>AllowedHosts</c> key says so; otherwise no list was configured,
    /// and the validator allows the local machine only (as Channels does in debug mode).
    /// </summary>
    private sealed class AllowedHostsCache(IOptionsMonitor<HostFilteringOptions>? options, IConfiguration? configuration)
    {
        private Entry? _last;

        public AllowedHosts? Current()
        {
            var hosts = options?.CurrentValue.AllowedHosts;
            if (Volatile.Read(ref _last) is { } last && ReferenceEquals(last.Source, hosts))
            {
                return last.Hosts;
            }

            var copy = hosts is { Count: > 0 } && !IsUnsetDefault(hosts) ? new AllowedHosts([.. hosts]) : null;
            Volatile.Write(ref _last, new Entry(hosts, copy));
            return copy;
        }

        /// <summary>Whether <paramref name="hosts"/> is ASP.NET Core's <c>*</c> for an <c>AllowedHosts</c> key that is not set.</summary>
        private bool IsUnsetDefault(IList<string> hosts) =>
            hosts is [var only] && only == "*"
            && (configuration?["AllowedHosts"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length == 0;

        private sealed record Entry(IList<string>? Source, AllowedHosts? Hosts);
    }
}
