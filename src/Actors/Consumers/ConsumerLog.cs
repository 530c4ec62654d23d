using Microsoft.Extensions.Logging;

namespace Switchboard.Actors.Consumers;

internal static partial class ConsumerLog
{
    [LoggerMessage(1, LogLevel.Error, "Consumer {Consumer} failed on path '{Path}' (channel {Channel}); its connection is closed.")]
    public static partial void ConsumerFailed(ILogger logger, Exception error, string consumer, string? path, string? channel);

    [LoggerMessage(2, LogLevel.Warning, "No handler for message type {MessageType} in consumer {Consumer} (channel {Channel}); the message was dropped.")]
    public static partial void NoHandler(ILogger logger, string? messageType, string consumer, string? channel);

    [LoggerMessage(3, LogLevel.Debug, "A {MessageType} sent to channel {Channel} expired undelivered and was dropped.")]
    public static partial void MessageExpired(ILogger logger, string messageType, string? channel);

    [LoggerMessage(4, LogLevel.Information, "Client error on path '{Path}' (channel {Channel}): {Problem}; closing with {Code}.")]
    public static partial void ClientError(ILogger logger, string path, string? channel, string problem, int code);

    [LoggerMessage(5, LogLevel.Warning, "OnDisconnectAsync of {Consumer} on path '{Path}' ran longer than {Timeout}; the consumer was stopped anyway.")]
    public static partial void DisconnectTimedOut(ILogger logger, string consumer, string path, TimeSpan timeout);

    [LoggerMessage(6, LogLevel.Error, "OnDisconnectAsync of {Consumer} on path '{Path}' (channel {Channel}) failed.")]
    public static partial void DisconnectFailed(ILogger logger, Exception error, string consumer, string path, string? channel);
}
