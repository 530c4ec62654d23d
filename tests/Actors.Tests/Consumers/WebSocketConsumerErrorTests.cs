using Akka.Actor;
using Microsoft.Extensions.Logging;
using Switchboard.Actors.Consumers;
using Switchboard.Actors.Protocol;
using Xunit.Abstractions;

namespace Switchboard.Actors.Tests.Consumers;

/// <summary>
/// An unhandled exception closes only its own connection: it surfaces at the communicator with its original type and
/// message (a server answers 500 during the handshake, 1011 after), <c>OnDisconnectAsync</c> runs with 1011 if the
/// connection was accepted, the error is logged with the path, and the consumer stops.
/// </summary>
public sealed class WebSocketConsumerErrorTests(ITestOutputHelper output)
    : ConsumerTestKit(output, "switchboard.consumer.disconnect-timeout = 1s")
{
    [Fact]
    public async Task OnConnectAsync_Throws_ConnectSurfacesTheOriginalException()
    {
        await using var communicator = Communicator(Consumer.Of<FailingConsumer>(TestActor, "connect"));

        var error = await Assert.ThrowsAsync<KeyNotFoundException>(() => communicator.ConnectAsync(Timeout));

        Assert.Equal("failed in connect", error.Message);
    }

    [Fact]
    public async Task OnConnectAsync_ThrowsBeforeAccepting_ConsumerStopsWithoutOnDisconnect()
    {
        await using var communicator = Communicator(Consumer.Of<FailingConsumer>(TestActor, "connect"));

        await Assert.ThrowsAsync<KeyNotFoundException>(() => communicator.ConnectAsync(Timeout));

        var consumer = await WatchReportedAsync();
        await ExpectTerminatedAsync(consumer, Timeout);
        await ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task OnConnectAsync_ThrowsAfterAccepting_NextCallSurfacesItAndOnDisconnectGets1011()
    {
        await using var communicator = Communicator(Consumer.Of<FailingConsumer>(TestActor, "after accept"));

        Assert.True((await communicator.ConnectAsync(Timeout)).Accepted);

        var error = await Assert.ThrowsAsync<KeyNotFoundException>(() => communicator.ReceiveFromAsync(Timeout));
        Assert.Equal("failed in connect", error.Message);
        await ExpectMsgAsync<IActorRef>(Timeout);
        Assert.Equal(new Disconnected(CloseCodes.InternalError), await ExpectMsgAsync<Disconnected>(Timeout));
    }

    [Fact]
    public async Task OnReceiveAsync_Throws_NextCallSurfacesTheOriginalExceptionNotATimeout()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<FailingConsumer>(TestActor, "receive"));

        await communicator.SendToAsync("boom");

        var error = await Assert.ThrowsAsync<FormatException>(() => communicator.ReceiveFromAsync(Timeout));
        Assert.Equal("failed in receive: boom", error.Message);
    }

    [Fact]
    public async Task OnReceiveAsync_Throws_OnDisconnectRunsWith1011AndTheConsumerStops()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<FailingConsumer>(TestActor, "receive"));
        var consumer = await WatchReportedAsync();

        await communicator.SendToAsync("boom");

        Assert.Equal(new Disconnected(CloseCodes.InternalError), await ExpectMsgAsync<Disconnected>(Timeout));
        await ExpectTerminatedAsync(consumer, Timeout);
    }

    [Fact]
    public async Task OnReceiveAsync_Throws_LaterCallsSurfaceTheSameException()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<FailingConsumer>(TestActor, "receive"));
        await communicator.SendToAsync("boom");
        await Assert.ThrowsAsync<FormatException>(() => communicator.ReceiveFromAsync(Timeout));

        await Assert.ThrowsAsync<FormatException>(() => communicator.SendToAsync("again"));
        await Assert.ThrowsAsync<FormatException>(() => communicator.ReceiveNothingAsync(Quiet));
    }

    [Fact]
    public async Task OnReceiveAsync_Throws_ErrorIsLoggedWithThePathAndChannel()
    {
        await using var communicator = Communicator(Consumer.Of<FailingConsumer>(TestActor, "receive"), "/ws/rooms/7/");
        await communicator.ConnectAsync(Timeout);

        await communicator.SendToAsync("boom");

        var entry = await LoggedAsync(LogLevel.Error, e => e.Error is FormatException);
        Assert.Contains("Consumer FailingConsumer failed on path '/ws/rooms/7/' (channel specific.inmemory!", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnReceiveAsync_ReturnsNull_FailsWithAClearErrorNotANullReference() =>
        await AssertNullReceiveFailsClearlyAsync(Consumer.Of<NullReceiveConsumer>(), "NullReceiveConsumer.OnReceiveAsync returned null instead of a task");

    [Fact]
    public async Task OnReceiveJsonAsync_ReturnsNull_FailsWithAClearErrorNotANullReference() =>
        await AssertNullReceiveFailsClearlyAsync(Consumer.Of<NullJsonReceiveConsumer>(), "NullJsonReceiveConsumer.OnReceiveJsonAsync returned null instead of a task");

    private async Task AssertNullReceiveFailsClearlyAsync(IApplication application, string expected)
    {
        await using var communicator = await ConnectedAsync(application);

        await communicator.SendToAsync("{}");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => communicator.ReceiveFromAsync(Timeout));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        await LoggedAsync(LogLevel.Error, e => e.Error is InvalidOperationException);
    }

    [Fact]
    public async Task OnDisconnectAsync_ReturnsNull_IsLoggedAsItsFailureAndTheConsumerStillStops()
    {
        var communicator = await ConnectedAsync(Consumer.Of<NullDisconnectConsumer>(TestActor));
        var consumer = await WatchReportedAsync();

        await communicator.DisposeAsync();

        await LoggedAsync(LogLevel.Error, e => e.Error is InvalidOperationException && e.Error.Message.StartsWith("NullDisconnectConsumer.OnDisconnectAsync returned null", StringComparison.Ordinal));
        await ExpectTerminatedAsync(consumer, Timeout);
    }

    [Theory]
    [InlineData("async handler")]
    [InlineData("sync handler")]
    public async Task Handle_HandlerThrows_SurfacesAtTheNextCallAndOnDisconnectGets1011(string kind)
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<FailingConsumer>(TestActor, kind));
        var consumer = await WatchReportedAsync();
        var channel = (await communicator.ReceiveFromAsync(Timeout)).Text!;

        await Layer.SendAsync(channel, new Poison());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => communicator.ReceiveFromAsync(Timeout));
        Assert.Equal($"failed in {kind}", error.Message);
        Assert.Equal(new Disconnected(CloseCodes.InternalError), await ExpectMsgAsync<Disconnected>(Timeout));
        await ExpectTerminatedAsync(consumer, Timeout);
    }

    [Fact]
    public async Task Constructor_Throws_ConnectSurfacesTheErrorInsteadOfHanging()
    {
        await using var communicator = Communicator(Consumer.Of<ThrowingConstructorConsumer>());

        var error = await Assert.ThrowsAnyAsync<Exception>(() => communicator.ConnectAsync(Timeout));

        var cause = Assert.IsType<NotSupportedException>(error.GetBaseException());
        Assert.Equal("failed in the constructor", cause.Message);
    }

    [Fact]
    public async Task Constructor_ServiceNotRegistered_ConnectSurfacesTheResolutionError()
    {
        await using var communicator = Communicator(Consumer.Of<NeedsServiceConsumer>());

        var error = await Assert.ThrowsAnyAsync<Exception>(() => communicator.ConnectAsync(Timeout));

        // Akka wraps what the producer threw; the resolution error is the innermost exception.
        var cause = Assert.IsType<InvalidOperationException>(error.GetBaseException());
        Assert.Contains(nameof(IRoomDirectory), cause.Message, StringComparison.Ordinal);
        await LoggedAsync(LogLevel.Error, e => e.Message.Contains("could not be constructed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OnReceiveAsync_OneConsumerFails_AnotherConnectionInTheSameSystemKeepsWorking()
    {
        var application = Consumer.Of<FailingConsumer>(TestActor, "receive");
        await using var failing = await ConnectedAsync(application);
        await using var healthy = await ConnectedAsync(application);

        await failing.SendToAsync("boom");
        await Assert.ThrowsAsync<FormatException>(() => failing.ReceiveFromAsync(Timeout));

        await healthy.SendToAsync("hello");
        Assert.Equal("echo hello", (await healthy.ReceiveFromAsync(Timeout)).Text);
        await using var later = await ConnectedAsync(application);
        await later.SendToAsync("still serving");
        Assert.Equal("echo still serving", (await later.ReceiveFromAsync(Timeout)).Text);
    }

    [Fact]
    public async Task OnDisconnectAsync_Throws_ConsumerStillStopsAndTheErrorIsLogged()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<FailingConsumer>(TestActor, "disconnect"));
        var consumer = await WatchReportedAsync();

        // As Channels' disconnect(), the communicator rethrows what OnDisconnectAsync threw.
        await Assert.ThrowsAsync<ArithmeticException>(() => communicator.DisconnectAsync(timeout: Timeout));

        Assert.Equal(new Disconnected(CloseCodes.Normal), await ExpectMsgAsync<Disconnected>(Timeout));
        await ExpectTerminatedAsync(consumer, Timeout);
        await LoggedAsync(LogLevel.Error, e => e.Error is ArithmeticException);
    }

    [Fact]
    public async Task OnDisconnectAsync_NeverCompletes_ConsumerIsStoppedAfterTheDisconnectTimeout()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<FailingConsumer>(TestActor, "hang"));
        var consumer = await WatchReportedAsync();

        await communicator.DisconnectAsync(timeout: Timeout);

        Assert.Equal(new Disconnected(CloseCodes.Normal), await ExpectMsgAsync<Disconnected>(Timeout));
        await ExpectTerminatedAsync(consumer, Timeout);
        await LoggedAsync(LogLevel.Warning, e => e.Message.Contains("ran longer than", StringComparison.Ordinal));
    }

    private sealed record Disconnected(int Code);

    private sealed record Poison;

    public interface IRoomDirectory;

    /// <summary>Fails where it is told to: <c>connect</c>, <c>after accept</c>, <c>receive</c>, a handler, or <c>disconnect</c>.</summary>
    private sealed class FailingConsumer : WebSocketConsumer
    {
        private readonly IActorRef _probe;
        private readonly string _where;

        public FailingConsumer(IActorRef probe, string where)
        {
            _probe = probe;
            _where = where;
            probe.Tell(Self);
            if (where == "sync handler")
            {
                Handle<Poison>(_ => throw new InvalidOperationException($"failed in {where}"));
            }
            else
            {
                Handle<Poison>(async _ =>
                {
                    await Task.Yield();
                    throw new InvalidOperationException($"failed in {where}");
                });
            }
        }

        protected override async Task OnConnectAsync()
        {
            if (_where == "after accept")
            {
                await AcceptAsync();
            }

            if (_where is "connect" or "after accept")
            {
                throw new KeyNotFoundException("failed in connect");
            }

            await AcceptAsync();
            if (_where.EndsWith("handler", StringComparison.Ordinal))
            {
                await SendAsync(ChannelName);
            }
        }

        protected override Task OnReceiveAsync(string? text, byte[]? bytes) =>
            text == "boom" ? throw new FormatException($"failed in receive: {text}") : SendAsync($"echo {text}");

        protected override async Task OnDisconnectAsync(int code)
        {
            _probe.Tell(new Disconnected(code));
            switch (_where)
            {
                case "disconnect":
                    throw new ArithmeticException("failed in disconnect");
                case "hang":
                    await new TaskCompletionSource().Task;
                    break;
            }
        }
    }

// An override that returns null where a task belongs (easy to write by mistake in a non-async override).
    private sealed class NullReceiveConsumer : WebSocketConsumer
    {
        protected override Task OnReceiveAsync(string? text, byte[]? bytes) => null!;
    }

    private sealed class NullJsonReceiveConsumer : JsonWebSocketConsumer
    {
        protected override Task OnReceiveJsonAsync(System.Text.Json.JsonElement content) => null!;
    }

    private sealed class NullDisconnectConsumer : WebSocketConsumer
    {
        public NullDisconnectConsumer(IActorRef probe) => probe.Tell(Self);

        protected override Task OnDisconnectAsync(int code) => null!;
    }

    private sealed class ThrowingConstructorConsumer : WebSocketConsumer
    {
        public ThrowingConstructorConsumer() => throw new NotSupportedException("failed in the constructor");
    }

    private sealed class NeedsServiceConsumer(IRoomDirectory rooms) : WebSocketConsumer
    {
        protected override Task OnReceiveAsync(string? text, byte[]? bytes) => SendAsync(rooms.ToString()!);
    }
}
