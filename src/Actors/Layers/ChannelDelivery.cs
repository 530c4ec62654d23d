namespace Switchboard.Actors.Layers;

/// <summary>
/// How a channel-layer message reaches a bound actor: the message, and the time after which it has
/// expired undelivered. Consumers unwrap it and dispatch <see cref="Message"/> to their typed handlers.
/// One instance may be shared by every member of a group send.
/// </summary>
/// <param name="Message">The message that was sent.</param>
/// <param name="ExpiresAt">The <see cref="TimeProvider"/> timestamp after which the message is dropped undelivered.</param>
/// <param name="Time">The clock that <paramref name="ExpiresAt"/> is measured on.</param>
public sealed record ChannelDelivery(object Message, long ExpiresAt, TimeProvider Time)
{
    /// <summary>Whether the message expired before it was taken off the mailbox.</summary>
    public bool IsExpired => Time.GetTimestamp() > ExpiresAt;
}
