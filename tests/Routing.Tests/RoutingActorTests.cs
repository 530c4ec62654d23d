using Akka.Actor;
using Akka.TestKit;
using Switchboard.Actors;
using Switchboard.Actors.Consumers;
using Switchboard.Actors.Protocol;

namespace Switchboard.Routing.Tests;

public sealed class RoutingActorTests : Akka.TestKit.Xunit2.TestKit
{
    /// <summary>A consumer that is not one of ours: any actor the application's props make. Forwards what it gets.</summary>
    public sealed class Forwarder(IActorRef probe) : UntypedActor
    {
        protected override void OnReceive(object message) => probe.Tell(message, Self);
    }

    /// <summary>Accepts, echoes text, and stops on disconnect (the default hooks).</summary>
    public sealed class Echo : WebSocketConsumer
    {
        protected override Task OnReceiveAsync(string? text, byte[]? bytes) => SendAsync(text!);
    }

    public sealed class Exploding : WebSocketConsumer
    {
        public Exploding() => throw new InvalidOperationException("constructor boom");
    }

    public sealed class TokenRequiredException() : ConnectionRefusedException("A token is required.", 401);

    private sealed record TransportFailed(Exception Error);

    private sealed record TransportStopped;

    /// <summary>The transport's side, reported to a probe: what the consumer sent, whether it failed, when it stopped.</summary>
    private sealed class FakeTransport(IActorRef probe) : IConnectionTransport
    {
        public void Send(OutboundCommand command) => probe.Tell(command);

        public void FrameProcessed()
        {
        }

        public void Fail(Exception error) => probe.Tell(new TransportFailed(error));

        public void ConsumerStopped() => probe.Tell(new TransportStopped());
    }

    private sealed class Application(Func<ConnectionScope, ValueTask<Props>> resolve) : IApplication
    {
        public ValueTask<Props> ResolveAsync(ConnectionScope scope, CancellationToken cancellationToken = default) => resolve(scope);
    }

    private static Application Always(Props props) => new(_ => new ValueTask<Props>(props));

    private static OpenConnection Open(string path, IConnectionTransport? transport = null) =>
        new(ConnectionScope.ForWebSocket(path), transport);

    private IActorRef Routing(IApplication application) => Sys.ActorOf(RoutingActor.Props(application));

    private int CountConnections(IActorRef routing) =>
        routing.Ask<int>(RoutingActor.CountConnections.Instance, Bounded.Wait).GetAwaiter().GetResult();

    [Fact]
    public void OpenConnection_Resolved_RepliesConnectionOpenedAndTheConsumerFirstReceivesAttachTransport()
    {
        var consumerProbe = CreateTestProbe();
        var transport = new FakeTransport(CreateTestProbe());
        var routing = Routing(Always(Props.Create(() => new Forwarder(consumerProbe))));

        routing.Tell(Open("/ws/", transport));

        var opened = ExpectMsg<ConnectionOpened>(Bounded.Wait);
        var attach = consumerProbe.ExpectMsg<object>(Bounded.Wait);
        Assert.Equal("AttachTransport", attach.GetType().Name);
        Assert.Same(transport, attach.GetType().GetProperty("Transport")!.GetValue(attach));
        Assert.Equal(opened.Consumer, consumerProbe.LastSender);
    }

    [Fact]
    public void OpenConnection_WebSocketConsumer_TalksToTheAttachedTransport()
    {
        var transportProbe = CreateTestProbe();
        var routing = Routing(new Application(scope => Consumer.Of<Echo>().ResolveAsync(scope)));

        routing.Tell(Open("/ws/echo/", new FakeTransport(transportProbe)));
        var consumer = ExpectMsg<ConnectionOpened>(Bounded.Wait).Consumer;
        consumer.Tell(SocketConnected.Instance);
        consumer.Tell(FrameReceived.FromText("hello"));

        transportProbe.ExpectMsg<AcceptSocket>(Bounded.Wait);
        Assert.Equal("hello", transportProbe.ExpectMsg<SendFrame>(Bounded.Wait).Text);
    }

    [Fact]
    public void OpenConnection_NoTransport_StartsTheConsumerWithoutAttachTransport()
    {
        var consumerProbe = CreateTestProbe();
        var routing = Routing(Always(Props.Create(() => new Forwarder(consumerProbe))));

        routing.Tell(Open("/worker/"));

        ExpectMsg<ConnectionOpened>(Bounded.Wait);
        consumerProbe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void OpenConnection_ResolveThrows_RefusesWith500AndKeepsServing()
    {
        var consumerProbe = CreateTestProbe();
        var routing = Routing(new Application(scope => scope.Path == "/bad/"
            ? throw new InvalidOperationException("boom")
            : new ValueTask<Props>(Props.Create(() => new Forwarder(consumerProbe)))));

        routing.Tell(Open("/bad/"));
        var refused = ExpectMsg<ConnectionRefused>(Bounded.Wait);
        routing.Tell(Open("/good/"));

        Assert.Equal(500, refused.StatusCode);
        Assert.Equal("The application failed to resolve path '/bad/': InvalidOperationException: boom", refused.Reason);
        Assert.IsType<InvalidOperationException>(refused.Error);
        ExpectMsg<ConnectionOpened>(Bounded.Wait);
    }

    [Fact]
    public void OpenConnection_AsyncResolveFaults_RefusesWith500AndKeepsServing()
    {
        var consumerProbe = CreateTestProbe();
        var routing = Routing(new Application(async scope =>
        {
            await Task.Yield();
            return scope.Path == "/bad/"
                ? throw new InvalidOperationException("late boom")
                : Props.Create(() => new Forwarder(consumerProbe));
        }));

        routing.Tell(Open("/bad/"));
        var refused = ExpectMsg<ConnectionRefused>(Bounded.Wait);
        routing.Tell(Open("/good/"));

        Assert.Equal(500, refused.StatusCode);
        Assert.Equal("late boom", Assert.IsType<InvalidOperationException>(refused.Error).Message);
        ExpectMsg<ConnectionOpened>(Bounded.Wait);
    }

    [Fact]
    public void OpenConnection_TrulyAsyncResolve_OpensTheConnection()
    {
        var consumerProbe = CreateTestProbe();
        var routing = Routing(new Application(async _ =>
        {
            await Task.Yield();
            await Task.Delay(20);
            return Props.Create(() => new Forwarder(consumerProbe));
        }));

        routing.Tell(Open("/ws/", new FakeTransport(CreateTestProbe())));

        var opened = ExpectMsg<ConnectionOpened>(Bounded.Wait);
        consumerProbe.ExpectMsg<object>(Bounded.Wait);
        Assert.Equal(opened.Consumer, consumerProbe.LastSender);
        Assert.Equal(1, CountConnections(routing));
    }

    [Fact]
    public void OpenConnection_SlowResolve_DoesNotHoldUpOtherConnections()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumerProbe = CreateTestProbe();
        var routing = Routing(new Application(async scope =>
        {
            if (scope.Path == "/slow/")
            {
                await gate.Task;
            }

            return Props.Create(() => new Forwarder(consumerProbe));
        }));
        var slow = CreateTestProbe();
        var fast = CreateTestProbe();

        routing.Tell(Open("/slow/"), slow);
        routing.Tell(Open("/fast/"), fast);

        fast.ExpectMsg<ConnectionOpened>(Bounded.Wait);
        slow.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        gate.SetResult();
        slow.ExpectMsg<ConnectionOpened>(Bounded.Wait);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void OpenConnection_RefusedExceptionSubclass_PassesItsStatusThrough(bool async)
    {
        var routing = Routing(new Application(async _ =>
        {
            if (async)
            {
                await Task.Yield();
            }

            throw new TokenRequiredException();
        }));

        routing.Tell(Open("/ws/"));

        Assert.Equal(new ConnectionRefused(401, "A token is required.", null), ExpectMsg<ConnectionRefused>(Bounded.Wait));
    }

    [Fact]
    public void OpenConnection_NoRoute_RefusesWith404AndNoError()
    {
        var routing = Routing(new UrlRouter());

        routing.Tell(Open("/x/"));

        Assert.Equal(new ConnectionRefused(404, "No route found for path 'x/'.", null), ExpectMsg<ConnectionRefused>(Bounded.Wait));
    }

    [Fact]
    public void OpenConnection_PropsThatCannotStart_RefusesWith500AndKeepsServing()
    {
        var consumerProbe = CreateTestProbe();
        var props = Props.Create(() => new Forwarder(consumerProbe));
        var routing = Routing(new Application(scope => new ValueTask<Props>(
            scope.Path == "/bad/" ? props.WithDispatcher("no-such-dispatcher") : props)));

        routing.Tell(Open("/bad/"));
        var refused = ExpectMsg<ConnectionRefused>(Bounded.Wait);
        routing.Tell(Open("/good/"));

        Assert.Equal(500, refused.StatusCode);
        Assert.NotNull(refused.Error);
        ExpectMsg<ConnectionOpened>(Bounded.Wait);
    }

    [Fact]
    public void OpenConnection_ConsumerConstructorThrows_FailsItsTransportAndKeepsServing()
    {
        var transportProbe = CreateTestProbe();
        var goodProbe = CreateTestProbe();
        var routing = Routing(new Application(scope => scope.Path == "/bad/"
            ? Consumer.Of<Exploding>().ResolveAsync(scope)
            : new ValueTask<Props>(Props.Create(() => new Forwarder(goodProbe)))));

        routing.Tell(Open("/bad/", new FakeTransport(transportProbe)));
        ExpectMsg<ConnectionOpened>(Bounded.Wait);

        var failed = transportProbe.ExpectMsg<TransportFailed>(Bounded.Wait);
        Assert.Equal("constructor boom", Assert.IsType<InvalidOperationException>(failed.Error).Message);
        transportProbe.ExpectMsg<TransportStopped>(Bounded.Wait);

        routing.Tell(Open("/good/", new FakeTransport(CreateTestProbe())));
        ExpectMsg<ConnectionOpened>(Bounded.Wait);
        AwaitAssert(() => Assert.Equal(1, CountConnections(routing)), Bounded.Wait);
    }

    [Fact]
    public void CountConnections_CountsLiveConsumersAndDropsWhenTheyStop()
    {
        var routing = Routing(Always(Props.Create(() => new Forwarder(CreateTestProbe()))));
        Assert.Equal(0, CountConnections(routing));

        routing.Tell(Open("/a/"));
        var first = ExpectMsg<ConnectionOpened>(Bounded.Wait).Consumer;
        routing.Tell(Open("/b/"));
        ExpectMsg<ConnectionOpened>(Bounded.Wait);
        Assert.Equal(2, CountConnections(routing));

        Sys.Stop(first);

        AwaitAssert(() => Assert.Equal(1, CountConnections(routing)), Bounded.Wait);
    }

    [Fact]
    public void CountConnections_WorkerChannelConsumer_IsNotAConnection()
    {
        // The host waits for the count to reach zero before it shuts down: a worker, which lives as long as its node, must
        // not hold that up.
        var routing = Routing(Always(Props.Create(() => new Forwarder(CreateTestProbe()))));
        var worker = new ConnectionScope { Type = ScopeTypes.Channel, Channel = "thumbnails", Path = "", RawPath = "" };

        routing.Tell(new OpenConnection(worker, null));
        var started = ExpectMsg<ConnectionOpened>(Bounded.Wait).Consumer;
        routing.Tell(Open("/a/"));
        ExpectMsg<ConnectionOpened>(Bounded.Wait);

        Assert.Equal(1, CountConnections(routing));
        Watch(started);
        Sys.Stop(started);
        ExpectTerminated(started, Bounded.Wait);
        Assert.Equal(1, CountConnections(routing));
    }

    [Fact]
    public async Task OpenConnection_WithReply_CompletesTheReplyAndTellsTheSenderNothing()
    {
        var consumerProbe = CreateTestProbe();
        var routing = Routing(Always(Props.Create(() => new Forwarder(consumerProbe))));
        var reply = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);

        routing.Tell(Open("/ws/", new FakeTransport(CreateTestProbe())) with { Reply = reply });

        var opened = Assert.IsType<ConnectionOpened>(await reply.Task.WaitAsync(Bounded.Wait));
        consumerProbe.ExpectMsg<object>(Bounded.Wait);
        Assert.Equal(opened.Consumer, consumerProbe.LastSender);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OpenConnection_WithReplyRefused_CompletesTheReplyWithTheRefusal(bool async)
    {
        var routing = Routing(new Application(async
            ? async _ =>
            {
                await Task.Yield();
                throw new TokenRequiredException();
            }
            : _ => throw new TokenRequiredException()));
        var reply = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);

        routing.Tell(Open("/ws/") with { Reply = reply });

        var refused = Assert.IsType<ConnectionRefused>(await reply.Task.WaitAsync(Bounded.Wait));
        Assert.Equal(401, refused.StatusCode);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void OpenConnection_MoreConnectionsThanShards_SpreadsConsumersAndCountsEachOnce()
    {
        var routing = Routing(Always(Props.Create(() => new Forwarder(CreateTestProbe()))));
        var consumers = new List<IActorRef>();
        for (var i = 0; i < RoutingActor.ShardCount + 3; i++)
        {
            routing.Tell(Open($"/ws/{i}/"));
            consumers.Add(ExpectMsg<ConnectionOpened>(Bounded.Wait).Consumer);
        }

        Assert.Equal(consumers.Count, CountConnections(routing));
        Assert.Equal(RoutingActor.ShardCount, consumers.Select(c => c.Path.Parent).Distinct().Count());
        Assert.All(consumers, c => Assert.Equal(routing.Path, c.Path.Parent.Parent));

        Sys.Stop(consumers[0]);
        Sys.Stop(consumers[^1]);

        AwaitAssert(() => Assert.Equal(consumers.Count - 2, CountConnections(routing)), Bounded.Wait);
    }

    [Fact]
    public void CountConnections_WebSocketConsumerDisconnected_DropsAndTellsTheTransport()
    {
        var transportProbe = CreateTestProbe();
        var routing = Routing(new Application(scope => Consumer.Of<Echo>().ResolveAsync(scope)));
        routing.Tell(Open("/ws/echo/", new FakeTransport(transportProbe)));
        var consumer = ExpectMsg<ConnectionOpened>(Bounded.Wait).Consumer;
        consumer.Tell(SocketConnected.Instance);
        transportProbe.ExpectMsg<AcceptSocket>(Bounded.Wait);
        Assert.Equal(1, CountConnections(routing));

        consumer.Tell(new SocketDisconnected(CloseCodes.Normal));

        transportProbe.ExpectMsg<TransportStopped>(Bounded.Wait);
        AwaitAssert(() => Assert.Equal(0, CountConnections(routing)), Bounded.Wait);
    }

    [Fact]
    public async Task ConnectAsync_ConsumerConstructorThrows_CommunicatorRethrowsTheConstructorsException()
    {
        await using var communicator = new Testing.WebSocketCommunicator(Sys, Consumer.Of<Exploding>(), "/ws/");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => communicator.ConnectAsync(Bounded.Wait));

        Assert.Equal("constructor boom", error.Message);
    }
}
