using Akka.Actor;
using Switchboard.Actors.Consumers;
using Switchboard.Actors.Protocol;
using Xunit.Abstractions;

namespace Switchboard.Actors.Tests.Consumers;

/// <summary>
/// How hooks run: one that completes at once is done on its message's turn, one that awaits resumes in the actor's
/// context (Self, Sender and Context as they were) and holds the next message until it completes, whichever way the two
/// kinds alternate; a task that is already faulted, cancelled or missing fails the consumer like a throw; and the
/// transport's own work never resumes as work queued to the consumer.
/// </summary>
public sealed class ConsumerHookTests(ITestOutputHelper output)
    : ConsumerTestKit(output, "switchboard.consumer.disconnect-timeout = 1s")
{
    [Fact]
    public async Task Handle_AwaitsWorkOnAnotherThread_SelfSenderAndContextAreTheActorsAfterTheAwait()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<AskedConsumer>(TestActor));
        var consumer = await ExpectMsgAsync<IActorRef>(Timeout);
        var other = CreateTestProbe();

        consumer.Tell(new Question(1, Wait: true), TestActor);
        consumer.Tell(new Question(2, Wait: false), other.Ref);
        consumer.Tell(new Question(3, Wait: true), other.Ref);

        Assert.Equal(new Answer(1, consumer, consumer), await ExpectMsgAsync<Answer>(Timeout));
        Assert.Equal(new Answer(2, consumer, consumer), await other.ExpectMsgAsync<Answer>(Timeout));
        Assert.Equal(new Answer(3, consumer, consumer), await other.ExpectMsgAsync<Answer>(Timeout));
    }

    [Fact]
    public async Task OnReceiveAsync_HooksThatCompleteAtOnceAndHooksThatAwaitAlternate_FramesAndMessagesKeepTheirOrder()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<AskedConsumer>(TestActor));
        var consumer = await ExpectMsgAsync<IActorRef>(Timeout);

        for (var i = 0; i < 40; i++)
        {
            await communicator.SendToAsync(i % 3 == 0 ? $"wait {i}" : $"now {i}");
            consumer.Tell(new Note(i % 2 == 0, $"note {i}"));
        }

        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(i % 3 == 0 ? $"wait {i}" : $"now {i}", (await communicator.ReceiveFromAsync(Timeout)).Text);
            Assert.Equal($"note {i}", (await communicator.ReceiveFromAsync(Timeout)).Text);
        }
    }

    [Theory]
    [InlineData("faulted")]
    [InlineData("cancelled")]
    public async Task OnReceiveAsync_ReturnsATaskThatHasAlreadyFailed_ClosesWith1011AndOnDisconnectRuns(string kind)
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<AskedConsumer>(TestActor));
        var consumer = await ExpectMsgAsync<IActorRef>(Timeout);
        Watch(consumer);

        await communicator.SendToAsync(kind);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => communicator.ReceiveFromAsync(Timeout));
        Assert.IsType(kind == "faulted" ? typeof(FormatException) : typeof(TaskCanceledException), error);
        Assert.Equal(new Disconnected(CloseCodes.InternalError), await ExpectMsgAsync<Disconnected>(Timeout));
        await ExpectTerminatedAsync(consumer, Timeout);
    }

    [Fact]
    public async Task Handle_HandlerReturnsNull_FailsTheConsumerWithAClearError()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<AskedConsumer>(TestActor));
        var consumer = await ExpectMsgAsync<IActorRef>(Timeout);
        Watch(consumer);

        consumer.Tell(new Nothing());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => communicator.ReceiveFromAsync(Timeout));
        Assert.Contains("returned null instead of a task", error.Message, StringComparison.Ordinal);
        Assert.Equal(new Disconnected(CloseCodes.InternalError), await ExpectMsgAsync<Disconnected>(Timeout));
        await ExpectTerminatedAsync(consumer, Timeout);
    }

    [Fact]
    public async Task OnDisconnectAsync_AwaitsAfterAFailureThatCompletedAtOnce_RunsToTheEndBeforeTheConsumerStops()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<AskedConsumer>(TestActor, true));
        var consumer = await ExpectMsgAsync<IActorRef>(Timeout);
        Watch(consumer);

        await communicator.SendToAsync("faulted");

        await Assert.ThrowsAsync<FormatException>(() => communicator.ReceiveFromAsync(Timeout));
        Assert.Equal(new Disconnected(CloseCodes.InternalError), await ExpectMsgAsync<Disconnected>(Timeout));
        Assert.Equal("disconnect finished on the actor", await ExpectMsgAsync<string>(Timeout));
        await ExpectTerminatedAsync(consumer, Timeout);
    }

    [Fact]
    public async Task Send_TransportAwaitsWithoutConfigureAwait_ItsContinuationDoesNotWaitForTheConsumer()
    {
        var transport = new GatedTransport();
        var props = await Consumer.Of<AskedConsumer>(TestActor).ResolveAsync(ConnectionScope.ForWebSocket("/ws/"));
        var consumer = Sys.ActorOf(props);
        Watch(consumer);
        await ExpectMsgAsync<IActorRef>(Timeout);
        consumer.Tell(new AttachTransport(transport));
        consumer.Tell(SocketConnected.Instance);
        consumer.Tell(FrameReceived.FromText("now 1"));
        await transport.Sent.Task.WaitAsync(Timeout);

        // The consumer stops while the transport still awaits; what the transport awaits must not need the consumer.
        consumer.Tell(new SocketDisconnected(CloseCodes.Normal));
        await ExpectMsgAsync<Disconnected>(Timeout);
        await ExpectTerminatedAsync(consumer, Timeout);
        transport.Gate.SetResult();

        await transport.Resumed.Task.WaitAsync(Timeout);
    }

    private sealed record Question(int Number, bool Wait);

    private sealed record Answer(int Number, IActorRef Self, IActorRef ContextSelf);

    private sealed record Note(bool Wait, string Text);

    private sealed record Disconnected(int Code);

    private sealed record Nothing;

    /// <summary>
    /// Answers questions to their sender, echoes frames and notes, and fails on request; <c>wait</c> frames and waiting
    /// questions or notes first await work that completes on another thread.
    /// </summary>
    private sealed class AskedConsumer : WebSocketConsumer
    {
        private readonly IActorRef _probe;
        private readonly bool _slowDisconnect;

        public AskedConsumer(IActorRef probe, bool slowDisconnect = false)
        {
            _probe = probe;
            _slowDisconnect = slowDisconnect;
            probe.Tell(Self);
            Handle<Question>(async question =>
            {
                if (question.Wait)
                {
                    await ElsewhereAsync();
                }

                Sender.Tell(new Answer(question.Number, Self, Context.Self));
            });
            Handle<Note>(async note =>
            {
                if (note.Wait)
                {
                    await ElsewhereAsync();
                }

                await SendAsync(note.Text);
            });
            Handle<Nothing>(_ => null!);
        }

        protected override Task OnReceiveAsync(string? text, byte[]? bytes) => text switch
        {
            "faulted" => Task.FromException(new FormatException("a faulted task")),
            "cancelled" => Task.FromCanceled(new CancellationToken(canceled: true)),
            _ => EchoAsync(text!),
        };

        protected override async Task OnDisconnectAsync(int code)
        {
            _probe.Tell(new Disconnected(code));
            if (_slowDisconnect)
            {
                await ElsewhereAsync();
                _probe.Tell(Context.Self == Self ? "disconnect finished on the actor" : "disconnect finished elsewhere");
            }
        }

        // Completes on a thread-pool thread, after this method has returned its unfinished task.
        private static Task ElsewhereAsync() => Task.Run(() => Thread.Sleep(5));

        private async Task EchoAsync(string text)
        {
            if (text.StartsWith("wait", StringComparison.Ordinal))
            {
                await ElsewhereAsync();
            }

            await SendAsync(text);
        }
    }

    /// <summary>A transport whose Send starts work that awaits a gate, without ConfigureAwait(false), as ASP.NET Core code does.</summary>
    private sealed class GatedTransport : IConnectionTransport
    {
        public TaskCompletionSource Gate { get; } = new();

        public TaskCompletionSource Sent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Resumed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Send(OutboundCommand command)
        {
            if (command is SendFrame)
            {
                _ = SendAfterGateAsync();
            }
        }

        public void FrameProcessed()
        {
        }

        public void Fail(Exception error)
        {
        }

        public void ConsumerStopped()
        {
        }

        private async Task SendAfterGateAsync()
        {
            Sent.TrySetResult();
#pragma warning disable CA2007 // The point: this await captures whatever context the caller had.
            await Gate.Task;
#pragma warning restore CA2007
            Resumed.TrySetResult();
        }
    }
}
