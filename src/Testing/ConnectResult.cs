namespace Switchboard.Testing;

/// <summary>How a <see cref="WebSocketCommunicator.ConnectAsync"/> ended.</summary>
/// <param name="Accepted">Whether the consumer accepted the connection.</param>
/// <param name="Subprotocol">The subprotocol the consumer chose, when accepted.</param>
/// <param name="CloseCode">The close code the consumer refused with (HTTP 403 on a real server), when refused by the consumer.</param>
/// <param name="StatusCode">The HTTP status a real server would answer a refused handshake with (403, 404, 500).</param>
public sealed record ConnectResult(bool Accepted, string? Subprotocol, int? CloseCode, int? StatusCode)
{
    /// <summary>Deconstructs as Channels' <c>connected, subprotocol = await communicator.connect()</c>.</summary>
    public void Deconstruct(out bool accepted, out string? subprotocol)
    {
        accepted = Accepted;
        subprotocol = Subprotocol;
    }
}
