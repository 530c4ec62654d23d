namespace Switchboard.Actors.Protocol;

/// <summary>
/// The transport's side of the typed protocol, as a consumer sees it: the Gateway (a real socket) and
/// the communicators (in memory) implement it. Methods are called from the consumer actor, one call at
/// a time, except <see cref="Send"/>: a consumer that forwards messages (<c>JsonWebSocketConsumer.ForwardJson</c>) also
/// sends frames from the channel layer's threads, concurrently with its own calls. Implementations must not block. They are called outside the consumer's synchronization context, so
/// what an implementation starts and awaits does not resume on the actor (the actor's task scheduler can still be
/// <see cref="TaskScheduler.Current"/> after a hook has awaited).
/// </summary>
public interface IConnectionTransport
{
    /// <summary>
    /// Delivers a command the consumer has already validated; thread-safe, in the order of the calls (a frame forwarded
    /// from another thread comes after the accept, and one that comes after a close is dropped, as any frame after it). A transport with a bounded outbound queue
    /// that is full closes the connection (<see cref="CloseCodes.PolicyViolation"/>) rather than block.
    /// </summary>
    void Send(OutboundCommand command);

    /// <summary>The consumer finished handling one <see cref="FrameReceived"/>: the transport may deliver another (inbound backpressure).</summary>
    void FrameProcessed();

    /// <summary>
    /// The consumer failed with an unhandled exception: the transport refuses the handshake with HTTP 500
    /// when it was not yet accepted, or closes the socket with <see cref="CloseCodes.InternalError"/>.
    /// </summary>
    void Fail(Exception error);

    /// <summary>
    /// The consumer failed with an unhandled exception after its connection was already closed or disconnected (for
    /// example in <c>OnDisconnectAsync</c>): there is nothing left to close, and the consumer has logged it. A socket
    /// transport ignores it (the default); the communicators report it to the test.
    /// </summary>
    void FailAfterClose(Exception error)
    {
    }

    /// <summary>The consumer actor has stopped; nothing more will be sent.</summary>
    void ConsumerStopped();
}
