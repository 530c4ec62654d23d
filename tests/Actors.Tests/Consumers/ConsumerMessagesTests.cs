using Akka.Actor;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Actors.Consumers;
using Switchboard.Actors.Hosting;
using Switchboard.Actors.Protocol;
using Switchboard.Testing;
using Xunit.Abstractions;

namespace Switchboard.Actors.Tests.Consumers;

/// <summary>
/// Channel-layer messages reach a consumer's typed handlers, and only those: a message with no handler is dropped and
/// logged, and a message that looks like a framework command is never taken for one.
/// </summary>
public sealed class ConsumerMessagesTests(ITestOutputHelper output) : ConsumerTestKit(output)
{
    public static TheoryData<string> FrameworkLookalikes { get; } =
        ["CloseSocket", "SendFrame", "AcceptSocket", "SocketConnected", "SocketDisconnected", "FrameReceived"];

    [Fact]
    public async Task SendAsync_ToTheConsumersChannelName_ReachesItsTypedHandler()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<NoteConsumer>());
        var channel = (await communicator.ReceiveFromAsync(Timeout)).Text!;

        await Layer.SendAsync(channel, new Note("from outside"));

        Assert.Equal("note: from outside", (await communicator.ReceiveFromAsync(Timeout)).Text);
    }

    [Fact]
    public async Task Handle_SecondHandlerForTheSameType_FailsTheConsumerWithAClearError()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<TwoHandlersConsumer>(), "/ws/");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => communicator.ConnectAsync(Timeout));

        Assert.Contains("A handler for Note is already registered", error.GetBaseException().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_SynchronousHandler_ReceivesTheMessage()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<NoteConsumer>());
        var channel = (await communicator.ReceiveFromAsync(Timeout)).Text!;

        await Layer.SendAsync(channel, new Ping(7));

        Assert.Equal("ping 7", (await communicator.ReceiveFromAsync(Timeout)).Text);
    }

    [Fact]
    public async Task Handle_SeveralMessages_AreHandledInSendOrder()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<NoteConsumer>());
        var channel = (await communicator.ReceiveFromAsync(Timeout)).Text!;

        for (var i = 0; i < 20; i++)
        {
            await Layer.SendAsync(channel, new Note($"{i}"));
        }

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal($"note: {i}", (await communicator.ReceiveFromAsync(Timeout)).Text);
        }
    }

    [Fact]
    public async Task Handle_ExactTypeAndBaseTypeHandlers_ExactTypeWinsAndOtherSubtypesGoToTheBase()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<NoteConsumer>());
        var channel = (await communicator.ReceiveFromAsync(Timeout)).Text!;

        await Layer.SendAsync(channel, new Dog());
        await Layer.SendAsync(channel, new Cat());

        Assert.Equal("dog", (await communicator.ReceiveFromAsync(Timeout)).Text);
        Assert.Equal("animal Cat", (await communicator.ReceiveFromAsync(Timeout)).Text);
    }

    [Fact]
    public async Task Handle_MessageWithNoHandler_IsDroppedAndLoggedAndTheConsumerKeepsWorking()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<NoteConsumer>());
        var channel = (await communicator.ReceiveFromAsync(Timeout)).Text!;

        await Layer.SendAsync(channel, new Unhandled());
        await Layer.SendAsync(channel, new Note("still here"));

        Assert.Equal("note: still here", (await communicator.ReceiveFromAsync(Timeout)).Text);
        var entry = await LoggedAsync(LogLevel.Warning, e => e.Message.Contains("No handler for message type", StringComparison.Ordinal));
        Assert.Contains(typeof(Unhandled).FullName!, entry.Message, StringComparison.Ordinal);
        Assert.Contains(channel, entry.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(FrameworkLookalikes))]
    public async Task SendAsync_FrameworkTypeThroughTheLayer_IsNeverTakenForACommandOrEvent(string type)
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<NoteConsumer>());
        var channel = (await communicator.ReceiveFromAsync(Timeout)).Text!;

        await Layer.SendAsync(channel, Lookalike(type));

        Assert.True(await communicator.ReceiveNothingAsync(Quiet));
        await communicator.SendToAsync("still open");
        Assert.Equal("frame: still open", (await communicator.ReceiveFromAsync(Timeout)).Text);
        await LoggedAsync(LogLevel.Warning, e => e.Message.Contains($".{type} in consumer", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("CloseSocket")]
    [InlineData("SendFrame")]
    [InlineData("AcceptSocket")]
    public async Task Tell_OutboundCommandFromAnotherActor_IsNotSentToTheClient(string type)
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<ReportingNoteConsumer>(TestActor));
        var consumer = await ExpectMsgAsync<IActorRef>(Timeout);
        await communicator.ReceiveFromAsync(Timeout);

        consumer.Tell(Lookalike(type));

        Assert.True(await communicator.ReceiveNothingAsync(Quiet));
        await communicator.SendToAsync("still open");
        Assert.Equal("frame: still open", (await communicator.ReceiveFromAsync(Timeout)).Text);
    }

    [Fact]
    public async Task ChannelDelivery_ExpiredBeforeTheConsumerTookIt_IsDroppedUnhandled()
    {
        var clock = new FakeTimeProvider();
        var system = ActorSystem.Create("expiry", CreateSetup(null, new SwitchboardSetup { Time = clock, LoggerFactory = Logs }));
        try
        {
            var layer = SwitchboardRuntime.Get(system).ChannelLayer;
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using var communicator = new WebSocketCommunicator(system, Consumer.Of<GatedNoteConsumer>(gate), "/ws/");
            Assert.True((await communicator.ConnectAsync(Timeout)).Accepted);
            var channel = (await communicator.ReceiveFromAsync(Timeout)).Text!;
            await communicator.SendToAsync("block");
            Assert.Equal("blocked", (await communicator.ReceiveFromAsync(Timeout)).Text);

            await layer.SendAsync(channel, new Note("stale"));
            clock.Advance(SwitchboardRuntime.Get(system).LayerSettings.Expiry + TimeSpan.FromSeconds(1));
            await layer.SendAsync(channel, new Note("fresh"));
            gate.SetResult();

            Assert.Equal("unblocked", (await communicator.ReceiveFromAsync(Timeout)).Text);
            Assert.Equal("note: fresh", (await communicator.ReceiveFromAsync(Timeout)).Text);
            Assert.True(await communicator.ReceiveNothingAsync(Quiet));
        }
        finally
        {
            await system.Terminate().WaitAsync(Timeout);
        }
    }

    [Fact]
    public async Task ChannelDelivery_TakenJustWithinExpiry_IsHandled()
    {
        var clock = new FakeTimeProvider();
        var system = ActorSystem.Create("expiry", CreateSetup(null, new SwitchboardSetup { Time = clock }));
        try
        {
            var layer = SwitchboardRuntime.Get(system).ChannelLayer;
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using var communicator = new WebSocketCommunicator(system, Consumer.Of<GatedNoteConsumer>(gate), "/ws/");
            Assert.True((await communicator.ConnectAsync(Timeout)).Accepted);
            var channel = (await communicator.ReceiveFromAsync(Timeout)).Text!;
            await communicator.SendToAsync("block");
            Assert.Equal("blocked", (await communicator.ReceiveFromAsync(Timeout)).Text);

            await layer.SendAsync(channel, new Note("in time"));
            clock.Advance(SwitchboardRuntime.Get(system).LayerSettings.Expiry);
            gate.SetResult();

            Assert.Equal("unblocked", (await communicator.ReceiveFromAsync(Timeout)).Text);
            Assert.Equal("note: in time", (await communicator.ReceiveFromAsync(Timeout)).Text);
        }
        finally
        {
            await system.Terminate().WaitAsync(Timeout);
        }
    }

    private static object Lookalike(string type) => type switch
    {
        "CloseSocket" => new CloseSocket(4000, "injected"),
        "SendFrame" => SendFrame.FromText("injected"),
        "AcceptSocket" => new AcceptSocket("injected"),
        "SocketConnected" => SocketConnected.Instance,
        "SocketDisconnected" => new SocketDisconnected(CloseCodes.Normal),
        "FrameReceived" => FrameReceived.FromText("injected"),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    private sealed record Note(string Text);

    private sealed record Ping(int Number);

    private sealed record Unhandled;

    private abstract record Animal;

    private sealed record Dog : Animal;

    private sealed record Cat : Animal;

    /// <summary>Sends its channel name on connect, then reports every frame and message it handles to the client.</summary>
    private class NoteConsumer : WebSocketConsumer
    {
        public NoteConsumer()
        {
            Handle<Note>(note => SendAsync($"note: {note.Text}"));
            Handle<Ping>(ping => { _ = SendAsync($"ping {ping.Number}"); });
            Handle<Animal>(animal => SendAsync($"animal {animal.GetType().Name}"));
            Handle<Dog>(_ => SendAsync("dog"));
        }

        protected override async Task OnConnectAsync()
        {
            await AcceptAsync();
            await SendAsync(ChannelName);
        }

        protected override Task OnReceiveAsync(string? text, byte[]? bytes) => SendAsync($"frame: {text}");
    }

    private sealed class TwoHandlersConsumer : WebSocketConsumer
    {
        public TwoHandlersConsumer()
        {
            Handle<Note>(_ => { });
            Handle<Note>(_ => { });
        }
    }

    private sealed class ReportingNoteConsumer : NoteConsumer
    {
        public ReportingNoteConsumer(IActorRef probe) => probe.Tell(Self);
    }

    /// <summary>On the frame <c>block</c>, holds its hook until the gate opens, so that messages pile up behind it.</summary>
    private sealed class GatedNoteConsumer(TaskCompletionSource gate) : NoteConsumer
    {
        protected override async Task OnReceiveAsync(string? text, byte[]? bytes)
        {
            if (text != "block")
            {
                await base.OnReceiveAsync(text, bytes);
                return;
            }

            await SendAsync("blocked");
            await gate.Task;
            await SendAsync("unblocked");
        }
    }
}
