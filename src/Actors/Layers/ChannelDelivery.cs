namespace Switchboard.Actors.Layers;

/// <summary>
/// How a channel-layer message reaches a bound actor: the message, and the time after which it has
/// expired undelivered. Consumers unwrap it and dispatch <see cref="Message"/> to their typed handlers.
/// One instance may be shared by every member of a group send.
/// </summary>
/// <remarks>
/// Equality is by <see cref="Message"/>, <see cref="ExpiresAt"/> and <see cref="Time"/>, as for any record with those
/// three members; it is written out only to leave out what a consumer caches on a delivery while it handles it.
/// </remarks>
/// <param name="Message">The message that was sent.</param>
/// <param name="ExpiresAt">The <see cref="TimeProvider"/> timestamp after which the message is dropped undelivered.</param>
/// <param name="Time">The clock that <paramref name="ExpiresAt"/> is measured on.</param>
public sealed record ChannelDelivery(object Message, long ExpiresAt, TimeProvider Time)
{
    private object? _encoding;

    /// <summary>Whether the message expired before it was taken off the mailbox.</summary>
    public bool IsExpired => Time.GetTimestamp() > ExpiresAt;

    /// <summary>Whether this one instance goes to every local member of a group send (so a cache on it is shared by them).</summary>
    internal bool IsGroupSend { get; init; }

    /// <summary>
    /// What a consumer made of <see cref="Message"/> for its client (a JSON consumer's UTF-8), kept for the other members
    /// of the same group send; set under the delivery's monitor, so that members on other threads wait for it.
    /// </summary>
    internal ref object? EncodingSlot => ref _encoding;

    /// <inheritdoc />
    public bool Equals(ChannelDelivery? other) =>
        ReferenceEquals(this, other)
        || (other is not null && Equals(Message, other.Message) && ExpiresAt == other.ExpiresAt && Equals(Time, other.Time));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Message, ExpiresAt, Time);
}
