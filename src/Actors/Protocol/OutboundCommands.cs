using System.Collections.Immutable;
using System.Text;

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
/// <remarks>
/// Two frames are equal when they carry the same text (compared as strings) or the same byte array, however the text was
/// given.
/// </remarks>
public sealed record SendFrame(string? Text = null, byte[]? Bytes = null) : OutboundCommand
{
    private string? _text = Text;

    /// <summary>The text of a text frame; <see langword="null"/> for a binary frame.</summary>
    public string? Text
    {
        // A frame made from UTF-8 (a JSON message) decodes its text only if someone reads it: the gateway writes the
        // UTF-8 as it is, so on a socket the string is never made. Two threads may both decode it; they get equal strings.
        get => _text ??= Utf8 is { } utf8 ? Encoding.UTF8.GetString(utf8) : null;
        init
        {
            // A copy with other text (`frame with { Text = ... }`) must not carry the old text's UTF-8 along.
            _text = value;
            Utf8 = null;
        }
    }

    /// <summary>A text frame.</summary>
    public static SendFrame FromText(string text) => new(Text: text);

    /// <summary>A binary frame.</summary>
    public static SendFrame FromBytes(byte[] bytes) => new(Bytes: bytes);

    /// <summary>
    /// A text frame from its UTF-8 encoding, which the sender already has (a JSON message serialized once for every
    /// member of a group): the transport writes it as it is instead of encoding the text again.
    /// </summary>
    internal static SendFrame FromUtf8(byte[] utf8) => new() { Utf8 = utf8 };

    /// <summary>The UTF-8 encoding of <see cref="Text"/>, when the sender gave it (see <see cref="FromUtf8"/>).</summary>
    internal byte[]? Utf8 { get; private init; }

    /// <summary>Whether this is a text frame, without decoding text given as UTF-8.</summary>
    internal bool IsText => _text is not null || Utf8 is not null;

    /// <inheritdoc />
    public bool Equals(SendFrame? other) =>
        ReferenceEquals(this, other) || (other is not null && string.Equals(Text, other.Text, StringComparison.Ordinal) && ReferenceEquals(Bytes, other.Bytes));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Text is { } text ? StringComparer.Ordinal.GetHashCode(text) : 0, Bytes);
}

/// <summary>
/// Closes the WebSocket with <see cref="Code"/> and an optional <see cref="Reason"/> (ASGI <c>websocket.close</c>).
/// Before the handshake completed it refuses the handshake instead (HTTP 403).
/// </summary>
public sealed record CloseSocket(int Code = CloseCodes.Normal, string? Reason = null) : OutboundCommand;
