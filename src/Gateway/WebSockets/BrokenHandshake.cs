using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Switchboard.Gateway.WebSockets;

/// <summary>
/// A request that asks for a WebSocket (<c>Upgrade: websocket</c>) but is not a valid handshake: refused here with
/// 400, or 426 and <c>Sec-WebSocket-Version: 13</c> for another protocol version (RFC 6455, 4.2.2), and logged. Passed
/// on, it would reach the rest of the pipeline, where a fallback page could answer it with 200.
/// </summary>
internal static class BrokenHandshake
{
    /// <summary>Refuses the request when it is a broken WebSocket handshake; false for any other request.</summary>
    public static async Task<bool> TryRefuseAsync(HttpContext context, ILogger logger)
    {
        var request = context.Request;
        if (!request.Headers.Upgrade.Any(v => v is not null && v.Contains("websocket", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        var versions = request.Headers.SecWebSocketVersion;
        var (status, reason) =
            !HttpMethods.IsGet(request.Method) ? (StatusCodes.Status400BadRequest, $"a WebSocket handshake must be a GET, not {request.Method}")
            : versions.Count > 0 && !versions.Contains("13") ? (StatusCodes.Status426UpgradeRequired, "only WebSocket version 13 is supported")
            : (StatusCodes.Status400BadRequest, "the WebSocket handshake is malformed (Connection, Sec-WebSocket-Key or Sec-WebSocket-Version)");

        GatewayLog.Refused(logger, context.TraceIdentifier, (request.PathBase + request.Path).ToString(), status, reason);
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status426UpgradeRequired)
        {
            context.Response.Headers[HeaderNames.SecWebSocketVersion] = "13";
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(ReasonPhrases.GetReasonPhrase(status));
        return true;
    }
}
