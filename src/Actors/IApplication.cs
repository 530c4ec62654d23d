using Akka.Actor;

namespace Switchboard.Actors;

/// <summary>
/// An application: given a connection's scope, resolves what will serve it, the consumer's
/// <see cref="Props"/>, or refuses by throwing <see cref="ConnectionRefusedException"/>.
/// Routers, middleware, origin validators and <c>Consumer.Of&lt;TConsumer&gt;()</c> are all applications,
/// so they nest freely. Resolution runs once per connection, at connect time.
/// </summary>
public interface IApplication
{
    /// <summary>Resolves the consumer that will serve the connection described by <paramref name="scope"/>.</summary>
    /// <exception cref="ConnectionRefusedException">The connection is refused (for example no route matched).</exception>
    ValueTask<Props> ResolveAsync(ConnectionScope scope, CancellationToken cancellationToken = default);
}
