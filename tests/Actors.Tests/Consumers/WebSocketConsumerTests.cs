using System.Text;
using Akka.Actor;
using Switchboard.Actors.Consumers;
using Switchboard.Actors.Protocol;
using Xunit.Abstractions;

namespace Switchboard.Actors.Tests.Consumers;

/// <summary>The life of a WebSocket consumer: connect, accept or refuse, frames both ways, disconnect.</summary>
public sealed class WebSocketConsumerTests(ITestOutputHelper output) : ConsumerTestKit(output)
{
    [Fact]
    public async Task ConnectAsync_DefaultOnConnect_Accepts()
    {
        await using var communicator = Communicator(Consumer.Of<PlainConsumer>());

        var result = await communicator.ConnectAsync(Timeout);

        Assert.True(result.Accepted);
        Assert.Null(result.Subprotocol);
        Assert.Null(result.CloseCode);
        Assert.Null(result.StatusCode);
    }

    [Theory]
    [InlineData(CloseCodes.Normal)]
    [InlineData(4003)]
    public async Task ConnectAsync_ConsumerClosesBeforeAccept_IsRefusedWith403(int code)
    {
        await using var communicator = Communicator(Consumer.Of<RefusingConsumer>(TestActor, code));

        var result = await communicator.ConnectAsync(Timeout);

        Assert.False(result.Accepted);
        Assert.Equal(code, result.CloseCode);
        Assert.Equal(403, result.StatusCode);
    }

    [Fact]
    public async Task ConnectAsync_ConsumerRefuses_ConsumerStillGetsOnDisconnectAndStops()
    {
        await using var communicator = Communicator(Consumer.Of<RefusingConsumer>(TestActor, 4003));

        await communicator.ConnectAsync(Timeout);

        var consumer = await WatchReportedAsync();
        Assert.Equal(new Disconnected(4003), await ExpectMsgAsync<Disconnected>(Timeout));
        await communicator.DisconnectAsync(timeout: Timeout);
        await ExpectTerminatedAsync(consumer, Timeout);
    }

    [Fact]
    public async Task ConnectAsync_OfferedSubprotocolChosen_ReportsIt()
    {
        await using var communicator = Communicator(Consumer.Of<SubprotocolConsumer>("chat.v2"), subprotocols: ["chat.v1", "chat.v2"]);

        var result = await communicator.ConnectAsync(Timeout);

        Assert.True(result.Accepted);
        Assert.Equal("chat.v2", result.Subprotocol);
    }

    [Fact]
    public async Task ConnectAsync_OfferedSubprotocols_ReachTheScopeInOrder()
    {
        await using var communicator = Communicator(Consumer.Of<SubprotocolConsumer>("chat.v1"), subprotocols: ["chat.v1", "chat.v2"]);
        await communicator.ConnectAsync(Timeout);

        await communicator.SendToAsync("offered?");

        Assert.Equal("chat.v1,chat.v2", (await communicator.ReceiveFromAsync(Timeout)).Text);
    }

    [Fact]
    public async Task ConnectAsync_SubprotocolNotOffered_ThrowsProtocolViolationAtTheCommunicator()
    {
        await using var communicator = Communicator(Consumer.Of<SubprotocolConsumer>("nope"), subprotocols: ["chat.v1"]);

        var error = await Assert.ThrowsAsync<ProtocolViolationException>(() => communicator.ConnectAsync(Timeout));

        Assert.Equal("Cannot accept with subprotocol 'nope': the client did not offer it (offered: 'chat.v1').", error.Message);
    }

    [Fact]
    public async Task ConnectAsync_SubprotocolChosenWhenNoneOffered_ThrowsProtocolViolation()
    {
        await using var communicator = Communicator(Consumer.Of<SubprotocolConsumer>("chat.v1"));

        var error = await Assert.ThrowsAsync<ProtocolViolationException>(() => communicator.ConnectAsync(Timeout));

        Assert.Contains("(offered: none)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_AcceptWithHeaders_ExposesThemAsResponseHeaders()
    {
        await using var communicator = Communicator(Consumer.Of<HeadersConsumer>());

        await communicator.ConnectAsync(Timeout);

        Assert.Equal([new("x-room", "lobby"), new("set-cookie", "seen=1")], communicator.ResponseHeaders);
    }

    [Fact]
    public async Task ConnectAsync_PlainAccept_HasNoResponseHeaders()
    {
        await using var communicator = Communicator(Consumer.Of<PlainConsumer>());

        await communicator.ConnectAsync(Timeout);

        Assert.Empty(communicator.ResponseHeaders);
    }

    [Fact]
    public async Task SendToAsync_TextFrame_ReachesOnReceiveAsTextAndComesBackAsText()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<EchoConsumer>());

        await communicator.SendToAsync("héllo");
        var frame = await communicator.ReceiveFromAsync(Timeout);

        Assert.True(frame.IsText);
        Assert.Equal("héllo", frame.Text);
        Assert.Null(frame.Bytes);
    }

    [Fact]
    public async Task SendToAsync_BinaryFrame_ReachesOnReceiveAsBytesAndComesBackAsBytes()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<EchoConsumer>());

        await communicator.SendToAsync(new byte[] { 0, 1, 2, 255 });
        var frame = await communicator.ReceiveFromAsync(Timeout);

        Assert.False(frame.IsText);
        Assert.Null(frame.Text);
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, frame.Bytes);
    }

    [Fact]
    public async Task SendToAsync_MixedFrames_EchoedInOrderWithTheirKinds()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<EchoConsumer>());

        await communicator.SendToAsync("one");
        await communicator.SendToAsync(Encoding.UTF8.GetBytes("two"));
        await communicator.SendToAsync("three");

        Assert.Equal("one", (await communicator.ReceiveFromAsync(Timeout)).Text);
        Assert.Equal("two", Encoding.UTF8.GetString((await communicator.ReceiveFromAsync(Timeout)).Bytes!));
        Assert.Equal("three", (await communicator.ReceiveFromAsync(Timeout)).Text);
        Assert.True(await communicator.ReceiveNothingAsync(Quiet));
    }

    [Fact]
    public async Task SendToAsync_EmptyTextFrame_ReachesOnReceiveAsEmptyText()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<EchoConsumer>());

        await communicator.SendToAsync("");

        Assert.Equal("", (await communicator.ReceiveFromAsync(Timeout)).Text);
    }

    [Theory]
    [InlineData(CloseCodes.Normal)]
    [InlineData(CloseCodes.GoingAway)]
    [InlineData(CloseCodes.Abnormal)]
    [InlineData(4321)]
    public async Task DisconnectAsync_ClientCloses_OnDisconnectGetsTheClientsCode(int code)
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<ProbeConsumer>(TestActor));
        var consumer = await WatchReportedAsync();

        await communicator.DisconnectAsync(code, Timeout);

        Assert.Equal(new Disconnected(code), await ExpectMsgAsync<Disconnected>(Timeout));
        await ExpectTerminatedAsync(consumer, Timeout);
    }

    [Fact]
    public async Task DisconnectAsync_AfterTheConsumerClosed_OnDisconnectRunsOnceWithTheClientsCode()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<ProbeConsumer>(TestActor));
        await ExpectMsgAsync<IActorRef>(Timeout);

        await communicator.SendToAsync("close");
        Assert.Equal(4000, (await communicator.ReceiveCloseAsync(Timeout)).Code);
        await communicator.DisconnectAsync(CloseCodes.Normal, Timeout);

        Assert.Equal(new Disconnected(CloseCodes.Normal), await ExpectMsgAsync<Disconnected>(Timeout));
        await ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task SendToAsync_AfterTheConsumerClosed_FrameIsNotHandedToOnReceive()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<ProbeConsumer>(TestActor));
        await ExpectMsgAsync<IActorRef>(Timeout);
        await communicator.SendToAsync("close");
        await communicator.ReceiveCloseAsync(Timeout);

        await communicator.SendToAsync("late");

        await ExpectNoMsgAsync(Quiet);
        Assert.True(await communicator.ReceiveNothingAsync(Quiet));
    }

    private sealed record Disconnected(int Code);

    private sealed class PlainConsumer : WebSocketConsumer;

    private sealed class EchoConsumer : WebSocketConsumer
    {
        protected override Task OnReceiveAsync(string? text, byte[]? bytes) => text is not null ? SendAsync(text) : SendAsync(bytes!);
    }

    private sealed class RefusingConsumer : WebSocketConsumer
    {
        private readonly IActorRef _probe;
        private readonly int _code;

        public RefusingConsumer(IActorRef probe, int code)
        {
            _probe = probe;
            _code = code;
            probe.Tell(Self);
        }

        protected override Task OnConnectAsync() => CloseAsync(_code);

        protected override Task OnDisconnectAsync(int code)
        {
            _probe.Tell(new Disconnected(code));
            return Task.CompletedTask;
        }
    }

    private sealed class SubprotocolConsumer(string choice) : WebSocketConsumer
    {
        protected override Task OnConnectAsync() => AcceptAsync(choice);

        protected override Task OnReceiveAsync(string? text, byte[]? bytes) => SendAsync(string.Join(",", Scope.Subprotocols));
    }

    private sealed class HeadersConsumer : WebSocketConsumer
    {
        protected override Task OnConnectAsync() => AcceptAsync(headers: [new("x-room", "lobby"), new("set-cookie", "seen=1")]);
    }

    private sealed class ProbeConsumer : WebSocketConsumer
    {
        private readonly IActorRef _probe;

        public ProbeConsumer(IActorRef probe)
        {
            _probe = probe;
            probe.Tell(Self);
        }

        protected override async Task OnReceiveAsync(string? text, byte[]? bytes)
        {
            if (text == "close")
            {
                await CloseAsync(4000);
            }
            else
            {
                _probe.Tell(text ?? "");
            }
        }

        protected override Task OnDisconnectAsync(int code)
        {
            _probe.Tell(new Disconnected(code));
            return Task.CompletedTask;
        }
    }
}
