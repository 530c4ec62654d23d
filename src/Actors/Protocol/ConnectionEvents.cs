namespace Switchboard.Actors.Protocol;

/// <summary>An event the transport sends to a consumer: the typed form of ASGI's receive events.</summary>
public abstract record ConnectionEvent;

/// <summary>The client asks to open a WebSocket (ASGI <c>websocket.connect</c>). The consumer answers with <see cref="AcceptSocket"/> or <see cref="CloseSocket"/>.</summary>
public sealed record SocketConnected : ConnectionEvent
{
    /// <summary>The one instance.</summary>
    public static SocketConnected Instance { get; } = new();
}

/// <summary>A data frame arrived from the client (ASGI <c>websocket.receive</c>): exactly one of <see cref="Text"/> and <see cref="Bytes"/> is set.</summary>
public sealed record FrameReceived : ConnectionEvent
{
    private FrameReceived(string? text, byte[]? bytes)
    {
        Text = text;
        Bytes = bytes;
    }

    /// <summary>The text of a text frame, or <see langword="null"/> for a binary frame.</summary>
    public string? Text { get; }

    /// <summary>The payload of a binary frame, or <see langword="null"/> for a text frame.</summary>
    public byte[]? Bytes { get; }

    /// <summary>A text frame.</summary>
    public static FrameReceived FromText(string text) => new(text ?? throw new ArgumentNullException(nameof(text)), null);

    /// <summary>A binary frame.</summary>
    public static FrameReceived FromBytes(byte[] bytes) => new(null, bytes ?? throw new ArgumentNullException(nameof(bytes)));
}

/// <summary>
/// The connection is over (ASGI <c>websocket.disconnect</c>), whichever side closed it. <see cref="Code"/> is the
/// close code the peer sent, <see cref="CloseCodes.NoStatus"/> when it sent none and <see cref="CloseCodes.Abnormal"/>
/// when the connection dropped without a close frame. Every consumer that was started receives this once, last.
/// </summary>
public sealed record SocketDisconnected(int Code) : ConnectionEvent;
