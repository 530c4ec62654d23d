namespace Switchboard.Actors.Protocol;

/// <summary>
/// The WebSocket close codes Switchboard uses, and what each means. A consumer may itself close
/// with <see cref="Normal"/> or an application code from 3000 to 4999.
/// </summary>
public static class CloseCodes
{
    /// <summary>1000: the purpose of the connection was fulfilled.</summary>
    public const int Normal = 1000;

    /// <summary>1001: the node is shutting down (or the client navigated away); reconnect elsewhere.</summary>
    public const int GoingAway = 1001;

    /// <summary>1002: the peer broke the WebSocket protocol.</summary>
    public const int ProtocolError = 1002;

    /// <summary>1003: the consumer cannot accept this kind of frame (a binary or empty frame sent to a JSON consumer).</summary>
    public const int UnsupportedData = 1003;

    /// <summary>
    /// 1005: a close frame that carried no code (RFC 6455 7.1.5). The gateway cannot report it: .NET's WebSocket reads
    /// an empty close frame as <see cref="Normal"/> (1000), so a consumer behind the gateway sees 1000. Transports that
    /// can tell the two apart (and tests, through a communicator) report 1005.
    /// </summary>
    public const int NoStatus = 1005;

    /// <summary>1006: reported in <see cref="SocketDisconnected"/> when the connection dropped without a close frame.</summary>
    public const int Abnormal = 1006;

    /// <summary>1007: a text frame was not valid UTF-8, or a JSON consumer received text that is not JSON.</summary>
    public const int InvalidPayload = 1007;

    /// <summary>1008: a policy was broken: the client read too slowly and its outbound queue filled, or it sent too fast.</summary>
    public const int PolicyViolation = 1008;

    /// <summary>1009: a message was larger than the configured maximum message size.</summary>
    public const int MessageTooBig = 1009;

    /// <summary>1011: the consumer failed with an unhandled exception.</summary>
    public const int InternalError = 1011;

    /// <summary>Whether a consumer may close with <paramref name="code"/>: 1000, or an application code from 3000 to 4999.</summary>
    public static bool IsValidApplicationCode(int code) => code == Normal || code is >= 3000 and <= 4999;
}
