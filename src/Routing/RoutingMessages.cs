using Akka.Actor;
using Switchboard.Actors;
using Switchboard.Actors.Protocol;

namespace Switchboard.Routing;

/// <summary>Asks the routing actor to resolve the application for a new connection and start its consumer.</summary>
/// <param name="Scope">The connection's scope, as the transport built it.</param>
/// <param name="Transport">The transport the consumer talks to; <see langword="null"/> for a worker channel.</param>
/// <param name="Timeout">
/// How long the asker waits. A resolution that finishes later starts no consumer (nobody would talk to it);
/// <see langword="null"/> waits as long as resolution takes.
/// </param>
public sealed record OpenConnection(ConnectionScope Scope, IConnectionTransport? Transport, TimeSpan? Timeout = null)
{
    /// <summary>When the request was made (<see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    public long IssuedAt { get; init; } = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>
    /// Where to put the answer (<see cref="ConnectionOpened"/> or <see cref="ConnectionRefused"/>) instead of telling the
    /// sender: lets a caller await it without what an <c>Ask</c> costs per connection (a temporary actor, a promise and a
    /// timer). The caller applies its own timeout to the task; <see langword="null"/> answers the sender.
    /// </summary>
    public TaskCompletionSource<object>? Reply { get; init; }
}

/// <summary>The consumer for the connection was started; the transport now sends it <see cref="SocketConnected"/>.</summary>
/// <param name="Consumer">The consumer actor.</param>
public sealed record ConnectionOpened(IActorRef Consumer);

/// <summary>The application refused the connection, or failed while resolving it.</summary>
/// <param name="StatusCode">The HTTP status to answer the handshake with (404 unrouted, 403 refused, 500 failed).</param>
/// <param name="Reason">Why, for the log.</param>
/// <param name="Error">The exception, when resolution failed unexpectedly.</param>
public sealed record ConnectionRefused(int StatusCode, string Reason, Exception? Error);
