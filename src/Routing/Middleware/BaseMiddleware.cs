using Akka.Actor;
using Switchboard.Actors;

namespace Switchboard.Routing.Middleware;

/// <summary>
/// The base of middleware: an application that wraps <see cref="Inner"/> and hands it a new scope made by
/// <see cref="TransformAsync"/>, as Channels' <c>BaseMiddleware</c>. The scope a middleware is given is immutable, so
/// nothing it does travels upstream; an instance serves every connection, so per-connection state belongs in the scope.
/// A route to a middleware that wraps a <see cref="UrlRouter"/> matches a prefix, as a route to the router itself does.
/// </summary>
/// <example>
/// <code>
/// public sealed class TenantMiddleware(IApplication inner) : BaseMiddleware(inner)
/// {
///     protected override ValueTask&lt;ConnectionScope&gt; TransformAsync(ConnectionScope scope, CancellationToken cancellationToken) =&gt;
///         new(scope with { Extensions = scope.Extensions.With(new Tenant(scope.GetHeader("x-tenant") ?? "default")) });
/// }
/// </code>
/// </example>
/// <param name="inner">The application that serves the connection with the new scope.</param>
public abstract class BaseMiddleware(IApplication inner) : IApplication
{
    /// <summary>The wrapped application.</summary>
    public IApplication Inner { get; } = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <inheritdoc />
    public ValueTask<Props> ResolveAsync(ConnectionScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var transforming = TransformAsync(scope, cancellationToken);

        // Most middleware finishes synchronously: the routing actor then starts the consumer without a round trip.
        return transforming.IsCompletedSuccessfully
            ? Inner.ResolveAsync(transforming.Result, cancellationToken)
            : ResolveLaterAsync(transforming, cancellationToken);
    }

    /// <summary>
    /// Makes the scope <see cref="Inner"/> sees, from the one this middleware was given (<c>scope with { ... }</c>), or
    /// refuses the connection by throwing <see cref="ConnectionRefusedException"/>. Return <paramref name="scope"/> itself
    /// to change nothing.
    /// </summary>
    protected abstract ValueTask<ConnectionScope> TransformAsync(ConnectionScope scope, CancellationToken cancellationToken);

    /// <inheritdoc />
    public override string ToString() => $"{GetType().Name}({Inner})";

    private async ValueTask<Props> ResolveLaterAsync(ValueTask<ConnectionScope> transforming, CancellationToken cancellationToken) =>
        await Inner.ResolveAsync(await transforming, cancellationToken);
}
