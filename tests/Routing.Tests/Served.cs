using Akka.Actor;
using Switchboard.Actors;
using Switchboard.Actors.Consumers;

namespace Switchboard.Routing.Tests;

/// <summary>A consumer started: which one, and the scope routing handed it. Sent to the test's probe.</summary>
internal sealed record Served(string Consumer, ConnectionScope Scope);

/// <summary>
/// A WebSocket consumer that tells <c>probe</c> it was started, with its scope, then accepts (the default
/// <see cref="WebSocketConsumer.OnConnectAsync"/>). Test classes derive tiny named consumers from it, so that
/// <c>ExpectMsg&lt;Served&gt;()</c> says which route was taken and what the scope held.
/// </summary>
public abstract class ReportingConsumer(IActorRef probe) : WebSocketConsumer
{
    /// <inheritdoc />
    protected override void PreStart()
    {
        base.PreStart();
        probe.Tell(new Served(GetType().Name, Scope));
    }
}

/// <summary>Bounds for waits on consumers started in a cold test actor system: generous, so a loaded machine is not a failure.</summary>
internal static class Bounded
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
}
