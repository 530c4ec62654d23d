using Akka.Actor;
using Switchboard.Actors;
using Switchboard.Actors.Consumers;
using Switchboard.Actors.Protocol;

namespace Switchboard.Testing.Tests;

/// <summary>A consumer's exception reaches the test at its next communicator call, with its own type and message, never as a timeout.</summary>
public sealed partial class WebSocketCommunicatorTests
{
    [Fact]
    public async Task ConnectAsync_OnConnectThrows_RethrowsTheConsumersException()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<FailingConsumer>(), "/ws/?fail=connect");

        var error = await Assert.ThrowsAsync<ConsumerBugException>(() => communicator.ConnectAsync(Wait));

        Assert.Equal("failed in OnConnectAsync", error.Message);
    }

    [Fact]
    public async Task ConnectAsync_ConstructorThrows_RethrowsTheConsumersException()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<UnconstructibleConsumer>(), "/ws/");

        var error = await Assert.ThrowsAsync<ConsumerBugException>(() => communicator.ConnectAsync(Wait));

        Assert.Equal("failed in the constructor", error.Message);
    }

    [Fact]
    public async Task ConnectAsync_ApplicationThrowsWhileResolving_RethrowsItsException()
    {
        await using var communicator = new WebSocketCommunicator(Sys, new ThrowingApplication(), "/ws/");

        var error = await Assert.ThrowsAsync<ConsumerBugException>(() => communicator.ConnectAsync(Wait));

        Assert.Equal("failed while resolving", error.Message);
    }

    [Fact]
    public async Task ConnectAsync_ConsumerSendsBeforeAccepting_RethrowsTheProtocolViolation()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<FailingConsumer>(), "/ws/?fail=send-early");

        var error = await Assert.ThrowsAsync<ProtocolViolationException>(() => communicator.ConnectAsync(Wait));

        Assert.Equal("Cannot send before the connection is accepted: call AcceptAsync first.", error.Message);
    }

    [Fact]
    public async Task ReceiveFromAsync_OnReceiveThrows_RethrowsTheConsumersExceptionInsteadOfTimingOut()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<FailingConsumer>(), "/ws/");
        await communicator.ConnectAsync(Wait);

        await communicator.SendToAsync("boom");
        var started = DateTime.UtcNow;
        var error = await Assert.ThrowsAsync<ConsumerBugException>(() => communicator.ReceiveFromAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal("failed on 'boom'", error.Message);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(15), "The failure should surface at once, not after the timeout.");
    }

    [Fact]
    public async Task ReceiveFromAsync_FramesSentBeforeTheFailure_AreReceivedFirst()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<FailingConsumer>(), "/ws/");
        await communicator.ConnectAsync(Wait);

        await communicator.SendToAsync("say then boom");

        Assert.Equal("last words", (await communicator.ReceiveFromAsync(Wait)).Text);
        await Assert.ThrowsAsync<ConsumerBugException>(() => communicator.ReceiveFromAsync(Wait));
    }

    [Fact]
    public async Task ReceiveNothingAsync_OnReceiveThrows_RethrowsTheConsumersExceptionWithoutWaitingItOut()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<FailingConsumer>(), "/ws/");
        await communicator.ConnectAsync(Wait);

        await communicator.SendToAsync("boom");
        var started = DateTime.UtcNow;
        var error = await Assert.ThrowsAsync<ConsumerBugException>(() => communicator.ReceiveNothingAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal("failed on 'boom'", error.Message);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(15), "The failure should surface at once, not after the window.");
    }

    [Fact]
    public async Task SendToAsync_AfterTheConsumerFailed_RethrowsTheConsumersException()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<FailingConsumer>(), "/ws/");
        await communicator.ConnectAsync(Wait);
        await communicator.SendToAsync("boom");
        await Assert.ThrowsAsync<ConsumerBugException>(() => communicator.ReceiveFromAsync(Wait));

        await Assert.ThrowsAsync<ConsumerBugException>(() => communicator.SendToAsync("anyone there?"));
    }

    [Fact]
    public async Task ChannelLayerHandlerThrows_TheNextCallRethrowsIt()
    {
        var probe = CreateTestProbe();
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<FailingConsumer>(probe.Ref), "/ws/");
        await communicator.ConnectAsync(Wait);
        var consumer = probe.ExpectMsg<IActorRef>(Wait);

        consumer.Tell(new Explode("from the channel layer"));

        var error = await Assert.ThrowsAsync<ConsumerBugException>(() => communicator.ReceiveFromAsync(Wait));
        Assert.Equal("from the channel layer", error.Message);
    }

    [Fact]
    public async Task ConsumerFailsAfterAccepting_OnDisconnectAsyncStillRunsWith1011()
    {
        var probe = CreateTestProbe();
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<FailingConsumer>(probe.Ref), "/ws/");
        await communicator.ConnectAsync(Wait);
        probe.ExpectMsg<IActorRef>(Wait);

        await communicator.SendToAsync("boom");

        Assert.Equal(CloseCodes.InternalError, probe.ExpectMsg<int>(Wait));
    }

    [Fact]
    public async Task DisconnectAsync_OnDisconnectAsyncThrows_RethrowsTheConsumersException()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<FailingConsumer>(), "/ws/?fail=disconnect");
        await communicator.ConnectAsync(Wait);

        var error = await Assert.ThrowsAsync<ConsumerBugException>(() => communicator.DisconnectAsync(4000, Wait));

        Assert.Equal("failed in OnDisconnectAsync(4000)", error.Message);
    }

    [Fact]
    public async Task DisposeAsync_OnDisconnectAsyncThrows_DoesNotThrowAndStopsTheConsumer()
    {
        var probe = CreateTestProbe();
        var communicator = new WebSocketCommunicator(Sys, Consumer.Of<FailingConsumer>(probe.Ref), "/ws/?fail=disconnect");
        await communicator.ConnectAsync(Wait);
        var consumer = probe.ExpectMsg<IActorRef>(Wait);
        probe.Watch(consumer);

        await communicator.DisposeAsync();

        probe.FishForMessage(m => m is Terminated, Wait);
    }

    [Fact]
    public async Task HandlerThrowsAfterTheConsumerClosed_TheNextCallRethrowsIt()
    {
        var probe = CreateTestProbe();
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<FailingConsumer>(probe.Ref), "/ws/");
        await communicator.ConnectAsync(Wait);
        var consumer = probe.ExpectMsg<IActorRef>(Wait);
        await communicator.SendToAsync("close");
        Assert.Equal(4000, (await communicator.ReceiveCloseAsync(Wait)).Code);

        consumer.Tell(new Explode("after closing"));

        var error = await Assert.ThrowsAsync<ConsumerBugException>(() => communicator.ReceiveNothingAsync(Wait));
        Assert.Equal("after closing", error.Message);
    }

    [Fact]
    public async Task DisposeAsync_AfterTheConsumerFailed_DoesNotThrow()
    {
        var communicator = new WebSocketCommunicator(Sys, Consumer.Of<FailingConsumer>(), "/ws/");
        await communicator.ConnectAsync(Wait);
        await communicator.SendToAsync("boom");

        await communicator.DisposeAsync();
    }

    /// <summary>An exception no consumer code would throw by accident.</summary>
    public sealed class ConsumerBugException(string message) : Exception(message);

    public sealed record Explode(string Why);

    /// <summary>Fails where the query string says (<c>fail=connect|send-early|disconnect</c>) and on every frame but <c>close</c>; reports itself and its disconnect code to a probe when given one.</summary>
    public sealed class FailingConsumer : WebSocketConsumer
    {
        private readonly IActorRef? _probe;

        public FailingConsumer(IActorRef? probe = null)
        {
            _probe = probe;
            Handle<Explode>(e => throw new ConsumerBugException(e.Why));
        }

        protected override async Task OnConnectAsync()
        {
            if (Scope.QueryString == "fail=connect")
            {
                throw new ConsumerBugException("failed in OnConnectAsync");
            }

            if (Scope.QueryString == "fail=send-early")
            {
                await SendAsync("too early");
            }

            await AcceptAsync();
            _probe?.Tell(Self);
        }

        protected override async Task OnReceiveAsync(string? text, byte[]? bytes)
        {
            if (text == "close")
            {
                await CloseAsync(4000);
                return;
            }

            if (text == "say then boom")
            {
                await SendAsync("last words");
            }

            await Task.Yield();
            throw new ConsumerBugException($"failed on '{text}'");
        }

        protected override Task OnDisconnectAsync(int code)
        {
            _probe?.Tell(code);
            return Scope.QueryString.StartsWith("fail=disconnect", StringComparison.Ordinal)
                ? throw new ConsumerBugException($"failed in OnDisconnectAsync({code})")
                : Task.CompletedTask;
        }
    }

    public sealed class UnconstructibleConsumer : WebSocketConsumer
    {
        public UnconstructibleConsumer() => throw new ConsumerBugException("failed in the constructor");
    }

    public sealed class ThrowingApplication : IApplication
    {
        public ValueTask<Props> ResolveAsync(ConnectionScope scope, CancellationToken cancellationToken = default) =>
            throw new ConsumerBugException("failed while resolving");
    }
}
