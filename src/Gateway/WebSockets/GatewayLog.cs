using Microsoft.Extensions.Logging;

namespace Switchboard.Gateway.WebSockets;

internal static partial class GatewayLog
{
    [LoggerMessage(1, LogLevel.Information, "WebSocket {ConnectionId} to '{Path}' refused with {Status}: {Reason}.")]
    public static partial void Refused(ILogger logger, string connectionId, string path, int status, string reason);

    [LoggerMessage(2, LogLevel.Debug, "WebSocket {ConnectionId} to '{Path}' accepted (subprotocol {Subprotocol}).")]
    public static partial void Accepted(ILogger logger, string connectionId, string path, string? subprotocol);

    [LoggerMessage(3, LogLevel.Debug, "WebSocket {ConnectionId} to '{Path}' closed with {Code}.")]
    public static partial void Closed(ILogger logger, string connectionId, string path, int code);

    [LoggerMessage(4, LogLevel.Information, "WebSocket {ConnectionId} to '{Path}' sent {Problem}; closing with {Code}.")]
    public static partial void ClientError(ILogger logger, string connectionId, string path, string problem, int code);

    [LoggerMessage(5, LogLevel.Warning, "WebSocket {ConnectionId} to '{Path}' reads too slowly: {QueueSize} frames are waiting; closing with 1008.")]
    public static partial void SlowClient(ILogger logger, string connectionId, string path, int queueSize);

    [LoggerMessage(6, LogLevel.Information, "WebSocket {ConnectionId} to '{Path}' broke the protocol: {Problem}.")]
    public static partial void ProtocolError(ILogger logger, string connectionId, string path, string problem);

    [LoggerMessage(7, LogLevel.Warning, "WebSocket {ConnectionId} to '{Path}': the handshake could not complete.")]
    public static partial void AcceptFailed(ILogger logger, Exception error, string connectionId, string path);

    [LoggerMessage(8, LogLevel.Information, "WebSocket {ConnectionId} to '{Path}' did not answer a keep-alive ping within {Timeout}; dropped (1006).")]
    public static partial void KeepAliveTimedOut(ILogger logger, string connectionId, string path, TimeSpan timeout);

    [LoggerMessage(9, LogLevel.Warning, "WebSocket {ConnectionId} to '{Path}' sent messages faster than its limit ({Rate} per second, {Burst} at once); closing with 1008.")]
    public static partial void RateLimited(ILogger logger, string connectionId, string path, double rate, int burst);
}
