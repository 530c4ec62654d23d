using Akka.TestKit.Xunit2;
using Switchboard.Actors;
using Switchboard.Actors.Consumers;
using Switchboard.Actors.Protocol;
using Switchboard.Routing;

namespace Switchboard.Testing.Tests;

/// <summary>The raw communicator: typed events in, typed commands out, as the transport sees them.</summary>
public sealed class ApplicationCommunicatorTests : TestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task SendInputAsync_ReceiveOutputAsync_PlayAWholeConnectionWithRawEvents()
    {
        await using var communicator = new ApplicationCommunicator(Sys, Consumer.Of<UpperConsumer>(), ConnectionScope.ForWebSocket("/ws/upper/"));

        await communicator.SendInputAsync(SocketConnected.Instance);
        Assert.Equal(new AcceptSocket(), await communicator.ReceiveOutputAsync(Wait));

        await communicator.SendInputAsync(FrameReceived.FromText("hello"));
        Assert.Equal(SendFrame.FromText("HELLO"), await communicator.ReceiveOutputAsync(Wait));

        await communicator.SendInputAsync(FrameReceived.FromText("bye"));
        Assert.Equal(new CloseSocket(4000, "bye"), await communicator.ReceiveOutputAsync(Wait));

        Assert.False(communicator.HasStopped);
        await communicator.SendInputAsync(new SocketDisconnected(CloseCodes.NoStatus));
        await communicator.WaitStoppedAsync(Wait);
        Assert.True(communicator.HasStopped);
    }

    [Fact]
    public async Task StartAsync_ResolvesTheApplicationAndStartsTheConsumer()
    {
        await using var communicator = new ApplicationCommunicator(Sys, Consumer.Of<UpperConsumer>(), ConnectionScope.ForWebSocket("/ws/"));
        Assert.Null(communicator.Consumer);

        Assert.True(await communicator.StartAsync(Wait));
        Assert.True(await communicator.StartAsync(Wait));

        Assert.NotNull(communicator.Consumer);
        Assert.Null(communicator.Refusal);
    }

    [Fact]
    public async Task StartAsync_NoRoute_ReturnsFalseWithTheRefusal_AndSendInputAsyncSaysWhy()
    {
        var application = new UrlRouter { Routes.Path("ws/upper/", Consumer.Of<UpperConsumer>()) };
        await using var communicator = new ApplicationCommunicator(Sys, application, ConnectionScope.ForWebSocket("/ws/lower/"));

        Assert.False(await communicator.StartAsync(Wait));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => communicator.SendInputAsync(SocketConnected.Instance));

        Assert.Equal(new ConnectionRefused(404, "No route found for path 'ws/lower/'.", null), communicator.Refusal);
        Assert.Equal("The application refused the connection (404: No route found for path 'ws/lower/'.); there is no consumer to send to.", error.Message);
        Assert.Null(communicator.Consumer);
    }

    [Fact]
    public async Task Scope_IsWhatTheApplicationResolvesWith()
    {
        var application = new UrlRouter { Routes.Path("ws/{word}/", Consumer.Of<UpperConsumer>()) };
        await using var communicator = new ApplicationCommunicator(Sys, application, ConnectionScope.ForWebSocket("/ws/ignored/"));
        communicator.Scope = ConnectionScope.ForWebSocket("/ws/shout/");

        await communicator.SendInputAsync(SocketConnected.Instance);
        await communicator.ReceiveOutputAsync(Wait);
        await communicator.SendInputAsync(FrameReceived.FromText("route"));

        Assert.Equal(SendFrame.FromText("SHOUT"), await communicator.ReceiveOutputAsync(Wait));
    }

    [Fact]
    public async Task ReceiveOutputAsync_NothingSent_ThrowsTimeoutSayingWhatItWaitedForAndHowLong()
    {
        await using var communicator = new ApplicationCommunicator(Sys, Consumer.Of<UpperConsumer>(), ConnectionScope.ForWebSocket("/ws/"));
        await communicator.SendInputAsync(SocketConnected.Instance);
        await communicator.ReceiveOutputAsync(Wait);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => communicator.ReceiveOutputAsync(TimeSpan.FromMilliseconds(150)));

        Assert.Equal("Timed out after 0.15 s waiting for output from the consumer.", error.Message);
    }

    [Fact]
    public async Task ReceiveOutputAsync_ConsumerThrows_RethrowsItsException()
    {
        await using var communicator = new ApplicationCommunicator(Sys, Consumer.Of<UpperConsumer>(), ConnectionScope.ForWebSocket("/ws/"));
        await communicator.SendInputAsync(SocketConnected.Instance);
        await communicator.ReceiveOutputAsync(Wait);

        await communicator.SendInputAsync(FrameReceived.FromBytes([0xff]));

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => communicator.ReceiveOutputAsync(Wait));
        Assert.Equal("Only text, please.", error.Message);
    }

    [Fact]
    public async Task WaitStoppedAsync_ConsumerFailed_WaitsForItToStopAndRethrowsItsException()
    {
        await using var communicator = new ApplicationCommunicator(Sys, Consumer.Of<UpperConsumer>(), ConnectionScope.ForWebSocket("/ws/"));
        await communicator.SendInputAsync(SocketConnected.Instance);
        await communicator.ReceiveOutputAsync(Wait);

        await communicator.SendInputAsync(FrameReceived.FromBytes([0xff]));

        await Assert.ThrowsAsync<NotSupportedException>(() => communicator.WaitStoppedAsync(Wait));
        Assert.True(communicator.HasStopped);
    }

    [Fact]
    public async Task ReceiveNothingAsync_ReportsWhetherTheConsumerSentAnything()
    {
        await using var communicator = new ApplicationCommunicator(Sys, Consumer.Of<UpperConsumer>(), ConnectionScope.ForWebSocket("/ws/"));
        await communicator.SendInputAsync(SocketConnected.Instance);

        Assert.False(await communicator.ReceiveNothingAsync(Wait));
        await communicator.ReceiveOutputAsync(Wait);
        Assert.True(await communicator.ReceiveNothingAsync());
    }

    [Fact]
    public async Task DisposeAsync_ConsumerStillRunning_StopsIt()
    {
        var communicator = new ApplicationCommunicator(Sys, Consumer.Of<UpperConsumer>(), ConnectionScope.ForWebSocket("/ws/"));
        await communicator.SendInputAsync(SocketConnected.Instance);
        await communicator.ReceiveOutputAsync(Wait);
        var probe = CreateTestProbe();
        probe.Watch(communicator.Consumer!);

        await communicator.DisposeAsync();

        probe.ExpectTerminated(communicator.Consumer!, Wait);
    }

    /// <summary>Upper-cases text frames; <c>route</c> answers with the route's word, <c>bye</c> closes; binary frames are a bug.</summary>
    public sealed class UpperConsumer : WebSocketConsumer
    {
        protected override Task OnReceiveAsync(string? text, byte[]? bytes) => text switch
        {
            null => throw new NotSupportedException("Only text, please."),
            "bye" => CloseAsync(4000, "bye"),
            "route" => SendAsync(Scope.UrlRoute["word"].ToUpperInvariant()),
            _ => SendAsync(text.ToUpperInvariant()),
        };
    }
}
