using System.Globalization;
using Akka.Actor;
using Switchboard.Actors.Consumers;
using Switchboard.Actors.Protocol;
using Xunit.Abstractions;

namespace Switchboard.Actors.Tests.Consumers;

/// <summary>What a consumer may send when: close codes, and commands the connection's state does not allow.</summary>
public sealed class WebSocketConsumerProtocolTests(ITestOutputHelper output) : ConsumerTestKit(output)
{
    [Theory]
    [InlineData(CloseCodes.Normal)]
    [InlineData(3000)]
    [InlineData(4000)]
    [InlineData(4999)]
    public async Task CloseAsync_NormalOrApplicationCode_ReachesTheClient(int code)
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<ClosingConsumer>());

        await communicator.SendToAsync(code.ToString(CultureInfo.InvariantCulture));

        var close = await communicator.ReceiveCloseAsync(Timeout);
        Assert.Equal(code, close.Code);
        Assert.Null(close.Reason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(999)]
    [InlineData(CloseCodes.GoingAway)]
    [InlineData(CloseCodes.UnsupportedData)]
    [InlineData(CloseCodes.NoStatus)]
    [InlineData(CloseCodes.InternalError)]
    [InlineData(2999)]
    [InlineData(5000)]
    public async Task CloseAsync_ReservedOrOutOfRangeCode_ThrowsProtocolViolationAtTheNextCall(int code)
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<ClosingConsumer>());

        await communicator.SendToAsync(code.ToString(CultureInfo.InvariantCulture));

        var error = await Assert.ThrowsAsync<ProtocolViolationException>(() => communicator.ReceiveCloseAsync(Timeout));
        Assert.Equal($"Close code {code} is not allowed: use 1000 or an application code from 3000 to 4999.", error.Message);
    }

    [Fact]
    public async Task CloseAsync_WithReason_ReachesTheClient()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<ClosingConsumer>());

        await communicator.SendToAsync("4001 " + new string('r', 123));

        var close = await communicator.ReceiveCloseAsync(Timeout);
        Assert.Equal(4001, close.Code);
        Assert.Equal(new string('r', 123), close.Reason);
    }

    [Fact]
    public async Task CloseAsync_ReasonOver123Bytes_ThrowsProtocolViolation()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<ClosingConsumer>());

        // 62 two-byte characters: 124 bytes of UTF-8.
        await communicator.SendToAsync("4001 " + new string('é', 62));

        var error = await Assert.ThrowsAsync<ProtocolViolationException>(() => communicator.ReceiveCloseAsync(Timeout));
        Assert.Equal("A close reason is at most 123 bytes of UTF-8.", error.Message);
    }

    [Fact]
    public async Task CloseAsync_Twice_SendsOneClose()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<ClosingConsumer>());

        await communicator.SendToAsync("4002 twice");

        Assert.Equal(4002, (await communicator.ReceiveCloseAsync(Timeout)).Code);
        Assert.True(await communicator.ReceiveNothingAsync(Quiet));
    }

    [Fact]
    public async Task SendAsync_BeforeAccept_ThrowsProtocolViolationAtConnect()
    {
        await using var communicator = Communicator(Consumer.Of<SendsBeforeAcceptConsumer>());

        var error = await Assert.ThrowsAsync<ProtocolViolationException>(() => communicator.ConnectAsync(Timeout));

        Assert.Equal("Cannot send before the connection is accepted: call AcceptAsync first.", error.Message);
    }

    [Fact]
    public async Task AcceptAsync_Twice_ThrowsProtocolViolationAtTheNextCall()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<MisbehavingConsumer>(TestActor));

        await communicator.SendToAsync("accept");

        var error = await Assert.ThrowsAsync<ProtocolViolationException>(() => communicator.ReceiveFromAsync(Timeout));
        Assert.Equal("The connection was already accepted; it cannot be accepted twice.", error.Message);
    }

    [Fact]
    public async Task SendAsync_AfterItsOwnClose_IsDroppedWithoutAnError()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<MisbehavingConsumer>(TestActor));

        await communicator.SendToAsync("send after close");

        Assert.Equal(CloseCodes.Normal, (await communicator.ReceiveCloseAsync(Timeout)).Code);
        Assert.Equal("sent after close", await ExpectMsgAsync<string>(Timeout));
        Assert.True(await communicator.ReceiveNothingAsync(Quiet));
    }

    [Fact]
    public async Task AcceptAsync_AfterRefusing_ThrowsProtocolViolation()
    {
        await using var communicator = Communicator(Consumer.Of<RefuseThenAcceptConsumer>(TestActor));

        var result = await communicator.ConnectAsync(Timeout);

        Assert.False(result.Accepted);
        var error = await ExpectMsgAsync<ProtocolViolationException>(Timeout);
        Assert.Equal("The connection cannot be accepted: it is closed.", error.Message);
    }

    [Fact]
    public async Task SendFrame_WithTextAndBytes_ThrowsProtocolViolation()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<MisbehavingConsumer>(TestActor));

        await communicator.SendToAsync("both");

        var error = await Assert.ThrowsAsync<ProtocolViolationException>(() => communicator.ReceiveFromAsync(Timeout));
        Assert.Equal("A frame carries text or bytes, not both.", error.Message);
    }

    [Fact]
    public async Task SendFrame_WithNeitherTextNorBytes_ThrowsProtocolViolation()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<MisbehavingConsumer>(TestActor));

        await communicator.SendToAsync("neither");

        var error = await Assert.ThrowsAsync<ProtocolViolationException>(() => communicator.ReceiveFromAsync(Timeout));
        Assert.Equal("A frame must carry text or bytes.", error.Message);
    }

    [Fact]
    public async Task SendAsync_InOnDisconnect_IsDroppedSilently()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<MisbehavingConsumer>(TestActor));

        await communicator.DisconnectAsync(CloseCodes.GoingAway, Timeout);

        Assert.Equal("sent after disconnect", await ExpectMsgAsync<string>(Timeout));
        Assert.True(await communicator.ReceiveNothingAsync(Quiet));
    }

    /// <summary>Closes with the code (and optional reason) it is sent as text.</summary>
    private sealed class ClosingConsumer : WebSocketConsumer
    {
        protected override async Task OnReceiveAsync(string? text, byte[]? bytes)
        {
            var parts = text!.Split(' ', 2);
            var code = int.Parse(parts[0], CultureInfo.InvariantCulture);
            var reason = parts.Length > 1 ? parts[1] : null;
            await CloseAsync(code, reason);
            if (reason == "twice")
            {
                await CloseAsync(code, reason);
            }
        }
    }

    private sealed class SendsBeforeAcceptConsumer : WebSocketConsumer
    {
        protected override async Task OnConnectAsync()
        {
            await SendAsync("too early");
            await AcceptAsync();
        }
    }

    private sealed class RefuseThenAcceptConsumer(IActorRef probe) : WebSocketConsumer
    {
        protected override async Task OnConnectAsync()
        {
            await CloseAsync();
            try
            {
                await AcceptAsync();
            }
            catch (ProtocolViolationException e)
            {
                probe.Tell(e);
            }
        }
    }

    private sealed class MisbehavingConsumer(IActorRef probe) : WebSocketConsumer
    {
        protected override async Task OnReceiveAsync(string? text, byte[]? bytes)
        {
            switch (text)
            {
                case "accept":
                    await AcceptAsync();
                    break;
                case "send after close":
                    await CloseAsync();
                    await SendAsync("too late");
                    probe.Tell("sent after close");
                    break;
                case "both":
                    // The raw command, past the SendAsync overloads that cannot build it.
                    Transmit(new SendFrame("text", [1, 2, 3]));
                    break;
                case "neither":
                    Transmit(new SendFrame());
                    break;
            }
        }

        protected override async Task OnDisconnectAsync(int code)
        {
            await SendAsync("after the client left");
            probe.Tell("sent after disconnect");
        }
    }
}
