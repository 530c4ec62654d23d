using System.Collections.Immutable;

namespace Switchboard.Actors.Protocol;

/// <summary>A command a consumer sends to its transport: the typed form of ASGI's send events.</summary>
public abstract record OutboundCommand;

/// <summary>Completes the WebSocket handshake (ASGI <c>websocket.accept</c>), with the chosen subprotocol and extra response headers.</summary>
public sealed record AcceptSocket(string? Subprotocol = null, ImmutableArray<KeyValuePair<string, string>> Headers = default) : OutboundCommand
{
    /// <summary>Extra response headers; never default.</summary>
    public ImmutableArray<KeyValuePair<string, string>> Headers { get; init; } = Headers.IsDefault ? [] : Headers;
}

/// <summary>Sends one data frame to the client (ASGI <c>websocket.send</c>): exactly one of <see cref="Text"/> and <see cref="Bytes"/>.</summary>
public sealed record SendFrame(string? Text = null, byte[]? Bytes = null) : OutboundCommand
{
    /// <summary>A text frame.</summary>
    public static SendFrame FromText(string text) => new(Text: text);

    /// <summary>A binary frame.</summary>
    public static SendFrame FromBytes(byte[] bytes) => new(Bytes: bytes);

    /// <summary>
    /// The UTF-8 encoding of <see cref="Text"/>, when the sender already has it (a JSON message serialized once for
    /// every member of a group): the transport writes it as it is instead of encoding the text again.
    /// </summary>
    internal byte[]? Utf8 { get; init; }
}

/// <summary>
/// Closes the WebSocket with <see cref="Code"/> and an optional <see cref="Reason"/> (ASGI <c>websocket.close</c>).
/// Before the handshake completed it refuses the handshake instead (HTTP 403).
/// </summary>
public sealed record CloseSocket(int Code = CloseCodes.Normal, string? Reason = null) : OutboundCommand;
