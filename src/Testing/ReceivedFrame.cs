namespace Switchboard.Testing;

/// <summary>A frame the consumer sent: exactly one of <see cref="Text"/> and <see cref="Bytes"/>.</summary>
/// <param name="Text">The text of a text frame.</param>
/// <param name="Bytes">The payload of a binary frame.</param>
public sealed record ReceivedFrame(string? Text, byte[]? Bytes)
{
    /// <summary>Whether this is a text frame.</summary>
    public bool IsText => Text is not null;
}
