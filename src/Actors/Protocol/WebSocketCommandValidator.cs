namespace Switchboard.Actors.Protocol;

/// <summary>
/// Checks a command against the connection's state before it reaches the transport, so that a
/// malformed command fails in the consumer's own code with a clear message.
/// </summary>
internal static class WebSocketCommandValidator
{
    public static WebSocketState Apply(WebSocketState state, OutboundCommand command, ConnectionScope scope) => command switch
    {
        AcceptSocket accept => ApplyAccept(state, accept, scope),
        SendFrame frame => ApplySend(state, frame),
        CloseSocket close => ApplyClose(state, close),
        _ => throw new ProtocolViolationException($"A WebSocket consumer cannot send {command.GetType().Name}."),
    };

    private static WebSocketState ApplyAccept(WebSocketState state, AcceptSocket accept, ConnectionScope scope)
    {
        if (state != WebSocketState.Connecting)
        {
            throw new ProtocolViolationException(state == WebSocketState.Open
                ? "The connection was already accepted; it cannot be accepted twice."
                : $"The connection cannot be accepted: it is {Describe(state)}.");
        }

        if (accept.Subprotocol is { } chosen && !scope.Subprotocols.Contains(chosen, StringComparer.Ordinal))
        {
            var offered = scope.Subprotocols.IsEmpty ? "none" : string.Join(", ", scope.Subprotocols.Select(p => $"'{p}'"));
            throw new ProtocolViolationException($"Cannot accept with subprotocol '{chosen}': the client did not offer it (offered: {offered}).");
        }

        return WebSocketState.Open;
    }

    private static WebSocketState ApplySend(WebSocketState state, SendFrame frame)
    {
        if (frame.IsText && frame.Bytes is not null)
        {
            throw new ProtocolViolationException("A frame carries text or bytes, not both.");
        }

        if (!frame.IsText && frame.Bytes is null)
        {
            throw new ProtocolViolationException("A frame must carry text or bytes.");
        }

        // After a close, by either side, a send is not a mistake: the consumer's groups and timers may still deliver
        // until the disconnect arrives. The consumer drops it (WebSocketConsumer.Transmit).
        return state == WebSocketState.Connecting
            ? throw new ProtocolViolationException("Cannot send before the connection is accepted: call AcceptAsync first.")
            : state;
    }

    private static WebSocketState ApplyClose(WebSocketState state, CloseSocket close)
    {
        if (!CloseCodes.IsValidApplicationCode(close.Code))
        {
            throw new ProtocolViolationException($"Close code {close.Code} is not allowed: use 1000 or an application code from 3000 to 4999.");
        }

        if (close.Reason is { } reason && System.Text.Encoding.UTF8.GetByteCount(reason) > 123)
        {
            throw new ProtocolViolationException("A close reason is at most 123 bytes of UTF-8.");
        }

        return state == WebSocketState.Disconnected ? state : WebSocketState.Closed;
    }

    private static string Describe(WebSocketState state) => state switch
    {
        WebSocketState.Closed => "closed",
        WebSocketState.Disconnected => "disconnected",
        _ => state.ToString(),
    };
}
