using System.Text;
using System.Text.Json;
using Akka.Actor;
using Microsoft.Extensions.Logging;
using Switchboard.Actors.Consumers;
using Switchboard.Actors.Protocol;
using Switchboard.Testing;
using Xunit.Abstractions;

namespace Switchboard.Actors.Tests.Consumers;

/// <summary>
/// JSON over text frames: any JSON value reaches <c>OnReceiveJsonAsync</c>; a frame that is not JSON text closes only
/// its own connection, with 1003 (binary or empty) or 1007 (not JSON); replies use camelCase web defaults.
/// </summary>
public sealed class JsonWebSocketConsumerTests(ITestOutputHelper output) : ConsumerTestKit(output)
{
    [Fact]
    public async Task SendJsonToAsync_Object_RoundTripsThroughTheConsumer()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<EchoJsonConsumer>(TestActor));

        await communicator.SendJsonToAsync(new Message("hello", 2));

        Assert.Equal(new Message("hello", 2), await communicator.ReceiveJsonFromAsync<Message>(Timeout));
    }

    [Theory]
    [InlineData("{\"a\":1}", JsonValueKind.Object)]
    [InlineData("[1,2,3]", JsonValueKind.Array)]
    [InlineData("42", JsonValueKind.Number)]
    [InlineData("\"text\"", JsonValueKind.String)]
    [InlineData("true", JsonValueKind.True)]
    [InlineData("null", JsonValueKind.Null)]
    [InlineData("  [ ]  ", JsonValueKind.Array)]
    public async Task SendToAsync_AnyJsonValue_ReachesOnReceiveJson(string json, JsonValueKind kind)
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<EchoJsonConsumer>(TestActor));

        await communicator.SendToAsync(json);

        Assert.Equal(kind, await ExpectMsgAsync<JsonValueKind>(Timeout));
        Assert.Equal(JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement), (await communicator.ReceiveFromAsync(Timeout)).Text);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TextFrame_GivenAsStringOrAsUtf8_IsParsedTheSame(bool asUtf8)
    {
        await using var communicator = new ApplicationCommunicator(Sys, Consumer.Of<EchoJsonConsumer>(TestActor), ConnectionScope.ForWebSocket("/ws/"));
        await communicator.SendInputAsync(SocketConnected.Instance);
        Assert.Equal(new AcceptSocket(), await communicator.ReceiveOutputAsync(Timeout));
        FrameReceived Frame(string text) => asUtf8 ? FrameReceived.FromUtf8(Encoding.UTF8.GetBytes(text)) : FrameReceived.FromText(text);

        await communicator.SendInputAsync(Frame("{\"caf\u00e9\": [1, \"\u00fc\"]}"));
        Assert.Equal(JsonValueKind.Object, await ExpectMsgAsync<JsonValueKind>(Timeout));
        // The reply is serialized with the web defaults, which escape non-ASCII: the parse kept both characters.
        Assert.Equal(SendFrame.FromText("{\"caf\\u00E9\":[1,\"\\u00FC\"]}"), await communicator.ReceiveOutputAsync(Timeout));

        await communicator.SendInputAsync(Frame("{\"a\": 1} trailing"));
        Assert.Equal(new CloseSocket(CloseCodes.InvalidPayload, "the text frame is not valid JSON"), await communicator.ReceiveOutputAsync(Timeout));
    }

    [Fact]
    public void FrameReceived_FromUtf8_EqualsTheSameTextAndDecodesOnRead()
    {
        var fromUtf8 = FrameReceived.FromUtf8(Encoding.UTF8.GetBytes("caf\u00e9"));

        Assert.Equal("caf\u00e9", fromUtf8.Text);
        Assert.Null(fromUtf8.Bytes);
        Assert.Equal(FrameReceived.FromText("caf\u00e9"), fromUtf8);
        Assert.Equal(FrameReceived.FromText("caf\u00e9").GetHashCode(), fromUtf8.GetHashCode());
        Assert.NotEqual(FrameReceived.FromBytes(Encoding.UTF8.GetBytes("caf\u00e9")), fromUtf8);
    }

    [Fact]
    public async Task SendJsonAsync_Record_UsesCamelCaseWebDefaults()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<ReplyConsumer>());

        await communicator.SendToAsync("{}");

        Assert.Equal("{\"message\":\"hi\",\"userCount\":3}", (await communicator.ReceiveFromAsync(Timeout)).Text);
    }

    [Fact]
    public async Task SendJsonAsync_OverriddenJsonOptions_AreUsed()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<SnakeCaseReplyConsumer>());

        await communicator.SendToAsync("{}");

        Assert.Equal("{\"message\":\"hi\",\"user_count\":3}", (await communicator.ReceiveFromAsync(Timeout)).Text);
    }

    [Fact]
    public async Task SendToAsync_BinaryFrame_ClosesWith1003()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<EchoJsonConsumer>(TestActor));

        await communicator.SendToAsync(Encoding.UTF8.GetBytes("{\"a\":1}"));

        var close = await communicator.ReceiveCloseAsync(Timeout);
        Assert.Equal(CloseCodes.UnsupportedData, close.Code);
        Assert.Equal("a binary frame was sent to a JSON consumer", close.Reason);
        await ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task SendToAsync_EmptyTextFrame_ClosesWith1003()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<EchoJsonConsumer>(TestActor));

        await communicator.SendToAsync("");

        var close = await communicator.ReceiveCloseAsync(Timeout);
        Assert.Equal(CloseCodes.UnsupportedData, close.Code);
        Assert.Equal("an empty text frame was sent to a JSON consumer", close.Reason);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("   ")]
    [InlineData("{\"a\":1} trailing")]
    [InlineData("undefined")]
    public async Task SendToAsync_TextThatIsNotJson_ClosesWith1007(string text)
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<EchoJsonConsumer>(TestActor));

        await communicator.SendToAsync(text);

        var close = await communicator.ReceiveCloseAsync(Timeout);
        Assert.Equal(CloseCodes.InvalidPayload, close.Code);
        Assert.Equal("the text frame is not valid JSON", close.Reason);
        await ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task SendToAsync_ClientError_IsLoggedAsInformationNotAsAFailure()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<EchoJsonConsumer>(TestActor), "/ws/json/");

        await communicator.SendToAsync("{not json");
        await communicator.ReceiveCloseAsync(Timeout);

        var entry = await LoggedAsync(LogLevel.Information, e => e.Message.StartsWith("Client error", StringComparison.Ordinal));
        Assert.Contains("'/ws/json/'", entry.Message, StringComparison.Ordinal);
        Assert.Contains("1007", entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Logs.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task SendToAsync_AfterAClientErrorClose_FramesAreIgnoredAndOnDisconnectGetsTheClientsCode()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<EchoJsonConsumer>(TestActor));
        await communicator.SendToAsync(new byte[] { 1 });
        await communicator.ReceiveCloseAsync(Timeout);

        await communicator.SendToAsync("{\"late\":true}");
        Assert.True(await communicator.ReceiveNothingAsync(Quiet));
        await communicator.DisconnectAsync(CloseCodes.UnsupportedData, Timeout);

        Assert.Equal(CloseCodes.UnsupportedData, await ExpectMsgAsync<int>(Timeout));
    }

    [Fact]
    public async Task SendToAsync_ClientErrorOnOneConnection_AnotherConnectionKeepsWorking()
    {
        await using var broken = await ConnectedAsync(Consumer.Of<EchoJsonConsumer>(TestActor));
        await using var healthy = await ConnectedAsync(Consumer.Of<EchoJsonConsumer>(TestActor));

        await broken.SendToAsync("{not json");
        await broken.ReceiveCloseAsync(Timeout);
        await healthy.SendJsonToAsync(new Message("still fine", 1));

        Assert.Equal(new Message("still fine", 1), await healthy.ReceiveJsonFromAsync<Message>(Timeout));
    }

    [Fact]
    public async Task OnReceiveJsonAsync_ElementKeptInAField_StaysValidAfterTheCall()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<RememberingConsumer>());

        await communicator.SendToAsync("{\"first\":[1,2]}");
        await communicator.SendToAsync("{\"second\":true}");

        Assert.Equal("{\"first\":[1,2]}", (await communicator.ReceiveFromAsync(Timeout)).Text);
    }

    [Fact]
    public async Task SendJsonAsync_GroupMessageForwardedByEveryMember_IsSerializedOnce()
    {
        var members = new List<WebSocketCommunicator>();
        for (var i = 0; i < 3; i++)
        {
            members.Add(await ConnectedAsync(Consumer.Of<ForwardingConsumer>(TestActor, false)));
            await ExpectMsgAsync<string>(Timeout);
        }

        var message = new Counted("hello");
        await Layer.SendToGroupAsync(ForwardingConsumer.Room, message);

        foreach (var member in members)
        {
            Assert.Equal("{\"text\":\"hello\"}", (await member.ReceiveFromAsync(Timeout)).Text);
            await member.DisposeAsync();
        }

        Assert.Equal(1, message.Serializations);
    }

    [Fact]
    public async Task SendJsonAsync_OneInstanceSentDirectlyToEachMember_IsSerializedOnce()
    {
        var members = new List<WebSocketCommunicator>();
        var channels = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            members.Add(await ConnectedAsync(Consumer.Of<ForwardingConsumer>(TestActor, false)));
            channels.Add(await ExpectMsgAsync<string>(Timeout));
        }

        var message = new Counted("direct");
        foreach (var channel in channels)
        {
            await Layer.SendAsync(channel, message);
        }

        foreach (var member in members)
        {
            Assert.Equal("{\"text\":\"direct\"}", (await member.ReceiveFromAsync(Timeout)).Text);
            await member.DisposeAsync();
        }

        Assert.Equal(1, message.Serializations);
    }

    [Fact]
    public async Task SendJsonAsync_GroupMessageForwardedAfterAnAwait_EveryMemberGetsIt()
    {
        var members = new List<WebSocketCommunicator>();
        for (var i = 0; i < 3; i++)
        {
            members.Add(await ConnectedAsync(Consumer.Of<ForwardingConsumer>(TestActor, true)));
            await ExpectMsgAsync<string>(Timeout);
        }

        var message = new Counted("later");
        await Layer.SendToGroupAsync(ForwardingConsumer.Room, message);

        foreach (var member in members)
        {
            Assert.Equal("{\"text\":\"later\"}", (await member.ReceiveFromAsync(Timeout)).Text);
            await member.DisposeAsync();
        }

        Assert.InRange(message.Serializations, 1, 3);
    }

    private sealed record Handled(Counted Message);

    [Fact]
    public async Task SendJsonAsync_GroupMessageAfterTheConsumerClosed_IsDroppedWithoutAFailure()
    {
        await using var member = await ConnectedAsync(Consumer.Of<ForwardingConsumer>(TestActor, false));
        await ExpectMsgAsync<string>(Timeout);
        await member.SendToAsync("{\"close\":true}");
        Assert.Equal(4000, (await member.ReceiveCloseAsync(Timeout)).Code);

        // The consumer is in its groups until the disconnect arrives, so the group message reaches its handler, as in
        // Channels; the handler's send is dropped (nothing serialized, nothing sent), not an error.
        var message = new Counted("after the close");
        await Layer.SendToGroupAsync(ForwardingConsumer.Room, message);

        Assert.Same(message, (await ExpectMsgAsync<Handled>(Timeout)).Message);
        Assert.True(await member.ReceiveNothingAsync(Quiet));
        Assert.Equal(0, message.Serializations);
        Assert.DoesNotContain(Logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    /// <summary>A room member that forwards every <see cref="Counted"/> to its client, at once or after an await.</summary>
    private sealed class ForwardingConsumer : JsonWebSocketConsumer
    {
        public const string Room = "json-room";
        private readonly IActorRef _probe;

        public ForwardingConsumer(IActorRef probe, bool awaitFirst)
        {
            _probe = probe;
            Handle<Counted>(async message =>
            {
                if (awaitFirst)
                {
                    await Task.Yield();
                }

                await SendJsonAsync(message);
                _probe.Tell(new Handled(message));
            });
        }

        protected override IEnumerable<string> Groups => [Room];

        /// <summary><c>{"close":true}</c> from the client closes the connection with 4000.</summary>
        protected override Task OnReceiveJsonAsync(JsonElement content) =>
            content.TryGetProperty("close", out _) ? CloseAsync(4000) : Task.CompletedTask;

        protected override Task OnConnectAsync()
        {
            _probe.Tell(ChannelName);
            return base.OnConnectAsync();
        }
    }

    private sealed record Message(string Text, int Count);

    private sealed record Reply(string Message, int UserCount);

    private sealed class EchoJsonConsumer(IActorRef probe) : JsonWebSocketConsumer
    {
        protected override Task OnReceiveJsonAsync(JsonElement content)
        {
            probe.Tell(content.ValueKind);
            return SendJsonAsync(content);
        }

        protected override Task OnDisconnectAsync(int code)
        {
            probe.Tell(code);
            return Task.CompletedTask;
        }
    }

    private class ReplyConsumer : JsonWebSocketConsumer
    {
        protected override Task OnReceiveJsonAsync(JsonElement content) => SendJsonAsync(new Reply("hi", 3));
    }

    private sealed class SnakeCaseReplyConsumer : ReplyConsumer
    {
        private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

        protected override JsonSerializerOptions JsonOptions => SnakeCase;
    }

    /// <summary>Keeps the first message it gets and sends it back when the second arrives.</summary>
    private sealed class RememberingConsumer : JsonWebSocketConsumer
    {
        private JsonElement? _first;

        protected override Task OnReceiveJsonAsync(JsonElement content)
        {
            if (_first is not { } first)
            {
                _first = content;
                return Task.CompletedTask;
            }

            return SendJsonAsync(first);
        }
    }
}
