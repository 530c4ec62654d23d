using Akka.Actor;
using Akka.Dispatch.MessageQueues;
using Switchboard.Actors;
using Switchboard.Actors.Consumers;
using Switchboard.Actors.Hosting;
using Switchboard.Actors.Protocol;

namespace Switchboard.Routing.Tests;

/// <summary>The routing actor starts consumers on Switchboard's consumer mailbox where the system's configuration has it.</summary>
public sealed class ConsumerMailboxTests() : Akka.TestKit.Xunit2.TestKit(SwitchboardConfig.ActorsDefaults)
{
    public sealed class Echo : WebSocketConsumer
    {
        protected override Task OnReceiveAsync(string? text, byte[]? bytes) => SendAsync(text!);
    }

    private sealed class Application(Func<ConnectionScope, ValueTask<Props>> resolve) : IApplication
    {
        public ValueTask<Props> ResolveAsync(ConnectionScope scope, CancellationToken cancellationToken = default) => resolve(scope);
    }

    private sealed class ProbeTransport(IActorRef probe) : IConnectionTransport
    {
        public void Send(OutboundCommand command) => probe.Tell(command);

        public void FrameProcessed()
        {
        }

        public void Fail(Exception error) => probe.Tell(error);

        public void ConsumerStopped()
        {
        }
    }

    private static IMessageQueue QueueOf(IActorRef actor) => ((ActorCell)((ActorRefWithCell)actor).Underlying).Mailbox!.MessageQueue;

    [Fact]
    public void AConsumer_RunsOnTheConsumerMailbox_AndServesItsConnection()
    {
        var transport = CreateTestProbe();
        var routing = Sys.ActorOf(RoutingActor.Props(new Application(scope => Consumer.Of<Echo>().ResolveAsync(scope))));

        routing.Tell(new OpenConnection(ConnectionScope.ForWebSocket("/ws/"), new ProbeTransport(transport)));
        var consumer = ExpectMsg<ConnectionOpened>(Bounded.Wait).Consumer;
        consumer.Tell(SocketConnected.Instance);
        for (var i = 0; i < 100; i++)
        {
            consumer.Tell(FrameReceived.FromText($"m{i}"));
        }

        Assert.IsType<ConsumerMessageQueue>(QueueOf(consumer));
        transport.ExpectMsg<AcceptSocket>(Bounded.Wait);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal($"m{i}", transport.ExpectMsg<SendFrame>(Bounded.Wait).Text);
        }
    }

    [Fact]
    public void PropsThatNameAMailbox_KeepIt()
    {
        var routing = Sys.ActorOf(RoutingActor.Props(new Application(_ =>
            new ValueTask<Props>(Props.Create(() => new Echo()).WithMailbox("akka.actor.default-mailbox")))));

        routing.Tell(new OpenConnection(ConnectionScope.ForWebSocket("/ws/"), null));
        var consumer = ExpectMsg<ConnectionOpened>(Bounded.Wait).Consumer;

        Assert.IsNotType<ConsumerMessageQueue>(QueueOf(consumer));
    }
}
