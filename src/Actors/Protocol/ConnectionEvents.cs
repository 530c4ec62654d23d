using System.Text;

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
/// <remarks>Two frames are equal when they carry the same text (compared as strings) or the same byte array, however the text was given.</remarks>
public sealed record FrameReceived : ConnectionEvent
{
    private string? _text;

    private FrameReceived(string? text, byte[]? bytes, byte[]? utf8)
    {
        _text = text;
        Bytes = bytes;
        Utf8 = utf8;
    }

    /// <summary>The text of a text frame, or <see langword="null"/> for a binary frame.</summary>
    /// <remarks>
    /// A frame from a socket arrives as UTF-8 and is decoded only when this is read: a JSON consumer parses the UTF-8 as it
    /// is. Two threads may both decode it; they get equal strings.
    /// </remarks>
    public string? Text => _text ??= Utf8 is { } utf8 ? Encoding.UTF8.GetString(utf8) : null;

    /// <summary>The payload of a binary frame, or <see langword="null"/> for a text frame.</summary>
    public byte[]? Bytes { get; }

    /// <summary>The UTF-8 of a text frame as the transport received it, when it gave it so (see <see cref="FromUtf8"/>).</summary>
    internal byte[]? Utf8 { get; }

    /// <summary>A text frame.</summary>
    public static FrameReceived FromText(string text) => new(text ?? throw new ArgumentNullException(nameof(text)), null, null);

    /// <summary>A binary frame.</summary>
    public static FrameReceived FromBytes(byte[] bytes) => new(null, bytes ?? throw new ArgumentNullException(nameof(bytes)), null);

    /// <summary>A text frame from its UTF-8, which the caller has checked is valid UTF-8 and hands over (it is not copied).</summary>
    internal static FrameReceived FromUtf8(byte[] utf8) => new(null, null, utf8 ?? throw new ArgumentNullException(nameof(utf8)));

    /// <inheritdoc />
    public bool Equals(FrameReceived? other) =>
        ReferenceEquals(this, other) || (other is not null && string.Equals(Text, other.Text, StringComparison.Ordinal) && ReferenceEquals(Bytes, other.Bytes));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Text is { } text ? StringComparer.Ordinal.GetHashCode(text) : 0, Bytes);
}

/// <summary>
/// The connection is over (ASGI <c>websocket.disconnect</c>), whichever side closed it. <see cref="Code"/> is the
/// close code the peer sent (a close frame with none arrives from the gateway as 1000, see <see cref="CloseCodes.NoStatus"/>)
/// and <see cref="CloseCodes.Abnormal"/> when the connection dropped without a close frame. Every consumer that was started receives this once, last.
/// </summary>
public sealed record SocketDisconnected(int Code) : ConnectionEvent;
