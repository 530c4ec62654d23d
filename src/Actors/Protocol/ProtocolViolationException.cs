namespace Switchboard.Actors.Protocol;

/// <summary>
/// A consumer sent a command that the connection's state does not allow: a second accept, a send
/// before accept or after close, an invalid close code, a frame with both text and bytes, or a
/// subprotocol the client did not offer. Thrown where the consumer sends the command.
/// </summary>
public sealed class ProtocolViolationException : InvalidOperationException
{
    /// <summary>Creates the exception with its message.</summary>
    public ProtocolViolationException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public ProtocolViolationException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public ProtocolViolationException() : base("The connection's protocol was violated.")
    {
    }
}
