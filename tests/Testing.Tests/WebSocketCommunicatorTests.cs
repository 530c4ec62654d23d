using System.Text.Json;
using Akka.TestKit.Xunit2;
using Switchboard.Actors;
using Switchboard.Actors.Consumers;
using Switchboard.Routing;
using Switchboard.Routing.Security;

namespace Switchboard.Testing.Tests;

/// <summary>The communicator's contract: what ConnectAsync reports, frames and JSON both ways, timeouts and unexpected output.</summary>
public sealed partial class WebSocketCommunicatorTests : TestKit
{
    /// <summary>For waits that should end early: generous so that a loaded machine does not fail the test.</summary>
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ConnectAsync_ConsumerAccepts_ReturnsAcceptedWithoutSubprotocol()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<EchoConsumer>(), "/ws/echo/");

        var result = await communicator.ConnectAsync(Wait);

        Assert.Equal(new ConnectResult(true, null, null, null), result);
        Assert.Empty(communicator.ResponseHeaders);
    }

    [Fact]
    public async Task ConnectAsync_ConsumerChoosesAnOfferedSubprotocol_ReturnsItAndTheResponseHeaders()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<SubprotocolConsumer>(), "/ws/", subprotocols: ["chat.v1", "chat.v2"]);

        var (connected, subprotocol) = await communicator.ConnectAsync(Wait);

        Assert.True(connected);
        Assert.Equal("chat.v2", subprotocol);
        Assert.Equal([new("x-server", "switchboard")], communicator.ResponseHeaders);
    }

    [Fact]
    public async Task ConnectAsync_ConsumerCloses_ReturnsRefusedWithTheCloseCodeAnd403()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<RefusingConsumer>(), "/ws/");

        var result = await communicator.ConnectAsync(Wait);

        Assert.Equal(new ConnectResult(false, null, 4003, 403), result);
        Assert.Null(communicator.Refusal);
    }

    [Fact]
    public async Task ConnectAsync_ConsumerClosesWithoutACode_ReportsChannelsDefault1000()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<RefusingConsumer>(), "/ws/?plain=1");

        var result = await communicator.ConnectAsync(Wait);

        Assert.Equal(new ConnectResult(false, null, 1000, 403), result);
    }

    [Fact]
    public async Task ConnectAsync_NoRouteMatches_Returns404AndTheRefusalReason()
    {
        var application = new UrlRouter { Routes.Path("ws/echo/", Consumer.Of<EchoConsumer>()) };
        await using var communicator = new WebSocketCommunicator(Sys, application, "/ws/nowhere/");

        var result = await communicator.ConnectAsync(Wait);

        Assert.Equal(new ConnectResult(false, null, null, 404), result);
        Assert.Equal(404, communicator.Refusal?.StatusCode);
        Assert.Equal("No route found for path 'ws/nowhere/'.", communicator.Refusal?.Reason);
    }

    [Fact]
    public async Task ConnectAsync_OriginNotAllowed_Returns403AndTheRefusalReason()
    {
        var application = new OriginValidator(Consumer.Of<EchoConsumer>(), ["https://example.com"]);
        await using var communicator = new WebSocketCommunicator(Sys, application, "/ws/", [new("Origin", "http://evil.example")]);

        var result = await communicator.ConnectAsync(Wait);

        Assert.Equal(new ConnectResult(false, null, null, 403), result);
        Assert.Equal("Origin 'http://evil.example' is not allowed.", communicator.Refusal?.Reason);
    }

    [Fact]
    public async Task ConnectAsync_CalledTwice_Throws()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<EchoConsumer>(), "/ws/");
        await communicator.ConnectAsync(Wait);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => communicator.ConnectAsync(Wait));

        Assert.Equal("ConnectAsync was already called on this communicator.", error.Message);
    }

    [Fact]
    public async Task ConnectAsync_ConsumerNeitherAcceptsNorCloses_ThrowsTimeoutSayingWhatItWaitedForAndHowLong()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<SilentConsumer>(), "/ws/");

        var error = await Assert.ThrowsAsync<TimeoutException>(() => communicator.ConnectAsync(TimeSpan.FromMilliseconds(200)));

        Assert.Equal("Timed out after 0.2 s waiting for the consumer to accept or close the connection (websocket.accept or websocket.close).", error.Message);
    }

    [Fact]
    public async Task SendToAsync_BeforeConnect_Throws()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<EchoConsumer>(), "/ws/");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => communicator.SendToAsync("hello"));

        Assert.Equal("Call ConnectAsync before sending.", error.Message);
    }

    [Fact]
    public async Task ReceiveFromAsync_TextAndBinaryFrames_ComeBackInOrderWithTheirKind()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<EchoConsumer>(), "/ws/");
        await communicator.ConnectAsync(Wait);

        await communicator.SendToAsync("hello");
        await communicator.SendToAsync([1, 2, 3]);

        var text = await communicator.ReceiveFromAsync(Wait);
        var binary = await communicator.ReceiveFromAsync(Wait);
        Assert.True(text.IsText);
        Assert.Equal("hello", text.Text);
        Assert.False(binary.IsText);
        Assert.Equal([1, 2, 3], binary.Bytes);
    }

    [Fact]
    public async Task ReceiveFromAsync_NothingSent_ThrowsTimeoutSayingWhatItWaitedForAndHowLong()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<EchoConsumer>(), "/ws/");
        await communicator.ConnectAsync(Wait);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => communicator.ReceiveFromAsync(TimeSpan.FromMilliseconds(250)));

        Assert.Equal("Timed out after 0.25 s waiting for a frame from the consumer (websocket.send).", error.Message);
    }

    [Fact]
    public async Task ReceiveFromAsync_ConsumerClosedInstead_ThrowsUnexpectedOutputNamingTheCloseCodeAndReason()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<EchoConsumer>(), "/ws/");
        await communicator.ConnectAsync(Wait);
        await communicator.SendToAsync("close");

        var error = await Assert.ThrowsAsync<UnexpectedOutputException>(() => communicator.ReceiveFromAsync(Wait));

        Assert.Equal("Expected type 'websocket.send', but was 'websocket.close' (code 4000, reason 'asked to').", error.Message);
    }

    [Fact]
    public async Task ReceiveCloseAsync_ConsumerCloses_ReturnsTheCodeAndReason()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<EchoConsumer>(), "/ws/");
        await communicator.ConnectAsync(Wait);
        await communicator.SendToAsync("close");

        var close = await communicator.ReceiveCloseAsync(Wait);

        Assert.Equal(4000, close.Code);
        Assert.Equal("asked to", close.Reason);
    }

    [Fact]
    public async Task ReceiveCloseAsync_ConsumerSentAFrameInstead_ThrowsUnexpectedOutputQuotingTheFrame()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<EchoConsumer>(), "/ws/");
        await communicator.ConnectAsync(Wait);
        await communicator.SendToAsync("still open");

        var error = await Assert.ThrowsAsync<UnexpectedOutputException>(() => communicator.ReceiveCloseAsync(Wait));

        Assert.Equal("Expected type 'websocket.close', but was 'websocket.send' (text 'still open').", error.Message);
    }

    [Fact]
    public async Task ReceiveNothingAsync_ConsumerSendsNothing_ReturnsTrue()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<EchoConsumer>(), "/ws/");
        await communicator.ConnectAsync(Wait);

        Assert.True(await communicator.ReceiveNothingAsync());
    }

    [Fact]
    public async Task ReceiveNothingAsync_AFrameIsWaiting_ReturnsFalseAndLeavesTheFrameToReceive()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<EchoConsumer>(), "/ws/");
        await communicator.ConnectAsync(Wait);
        await communicator.SendToAsync("hello");
        Assert.Equal("hello", (await communicator.ReceiveFromAsync(Wait)).Text);
        await communicator.SendToAsync("again");

        Assert.False(await communicator.ReceiveNothingAsync(Wait));
        Assert.Equal("again", (await communicator.ReceiveFromAsync(Wait)).Text);
    }

    [Fact]
    public async Task ReceiveNothingAsync_AFrameArrivesDuringTheWindow_ReturnsFalseWithoutWaitingItOut()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<EchoConsumer>(), "/ws/");
        await communicator.ConnectAsync(Wait);
        await communicator.SendToAsync("later");

        var started = DateTime.UtcNow;
        Assert.False(await communicator.ReceiveNothingAsync(TimeSpan.FromSeconds(30)));

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(15));
        Assert.Equal("later", (await communicator.ReceiveFromAsync(Wait)).Text);
    }

    [Fact]
    public async Task SendJsonToAsync_ReceiveJsonFromAsync_RoundTripWithWebDefaults()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<JsonEchoConsumer>(), "/ws/");
        await communicator.ConnectAsync(Wait);

        await communicator.SendJsonToAsync(new Greeting("Ada", 2));

        Assert.Equal(new Greeting("Ada", 2), await communicator.ReceiveJsonFromAsync<Greeting>(Wait));
    }

    [Fact]
    public async Task SendJsonToAsync_UsesCamelCaseNames()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<EchoConsumer>(), "/ws/");
        await communicator.ConnectAsync(Wait);

        await communicator.SendJsonToAsync(new Greeting("Ada", 2));

        Assert.Equal("""{"name":"Ada","count":2}""", (await communicator.ReceiveFromAsync(Wait)).Text);
    }

    [Fact]
    public async Task ReceiveJsonFromAsync_BinaryFrame_ThrowsUnexpectedOutput()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<EchoConsumer>(), "/ws/");
        await communicator.ConnectAsync(Wait);
        await communicator.SendToAsync([1, 2]);

        var error = await Assert.ThrowsAsync<UnexpectedOutputException>(() => communicator.ReceiveJsonFromAsync<Greeting>(Wait));

        Assert.Equal("Expected a text frame with JSON, but the consumer sent a binary frame of 2 bytes.", error.Message);
    }

    [Fact]
    public async Task Constructor_PathQueryHeadersAndSubprotocols_BuildTheScopeLikeTheGateway()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<EchoConsumer>(), "/ws/caf%C3%A9/?a=1&b=%20#top",
            [new("Cookie", "sessionid=abc; theme=dark"), new("X-Trace", "7")], ["v1", "v2"]);

        var scope = communicator.Scope;

        Assert.Equal("websocket", scope.Type);
        Assert.Equal("/ws/café/", scope.Path);
        Assert.Equal("/ws/caf%C3%A9/", scope.RawPath);
        Assert.Equal("a=1&b=%20", scope.QueryString);
        Assert.Equal("7", scope.GetHeader("x-trace"));
        Assert.Equal("abc", scope.Cookies["sessionid"]);
        Assert.Equal<string>(["v1", "v2"], scope.Subprotocols);
    }

    /// <summary>Echoes every frame; <c>close</c> closes with 4000, <c>later</c> answers after a short delay.</summary>
    public sealed class EchoConsumer : WebSocketConsumer
    {
        protected override async Task OnReceiveAsync(string? text, byte[]? bytes)
        {
            switch (text)
            {
                case "close":
                    await CloseAsync(4000, "asked to");
                    break;
                case "later":
                    await Task.Delay(200);
                    await SendAsync(text);
                    break;
                case not null:
                    await SendAsync(text);
                    break;
                default:
                    await SendAsync(bytes!);
                    break;
            }
        }
    }

    public sealed class JsonEchoConsumer : JsonWebSocketConsumer
    {
        protected override Task OnReceiveJsonAsync(JsonElement content) => SendJsonAsync(content);
    }

    public sealed class SubprotocolConsumer : WebSocketConsumer
    {
        protected override Task OnConnectAsync() =>
            AcceptAsync(Scope.Subprotocols.Contains("chat.v2") ? "chat.v2" : null, [new("x-server", "switchboard")]);
    }

    /// <summary>Refuses every connection: with 4003, or with no code when the query string says <c>plain</c>.</summary>
    public sealed class RefusingConsumer : WebSocketConsumer
    {
        protected override Task OnConnectAsync() => Scope.QueryString.Contains("plain", StringComparison.Ordinal) ? CloseAsync() : CloseAsync(4003);
    }

    /// <summary>Never answers the handshake.</summary>
    public sealed class SilentConsumer : WebSocketConsumer
    {
        protected override Task OnConnectAsync() => Task.CompletedTask;
    }

    public sealed record Greeting(string Name, int Count);
}
