using System.Net;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Akka.TestKit.Xunit2;
using Switchboard.Actors;
using Switchboard.Actors.Consumers;
using Switchboard.Actors.Hosting;
using Switchboard.Actors.Protocol;
using Switchboard.Routing;
using Switchboard.Testing;

// Every fenced csharp block of docs/testing.md is in this file, verbatim (TestingGuideTests checks it).
// Change the guide and this file together. One test class per section of the guide.
namespace Switchboard.Testing.Tests.Docs;

// "Testing a consumer"

public sealed class EchoConsumer : WebSocketConsumer
{
    protected override Task OnReceiveAsync(string? text, byte[]? bytes) =>
        text is not null ? SendAsync(text) : SendAsync(bytes!);
}

public sealed class EchoConsumerTests : TestKit
{
    [Fact]
    public async Task Echo_SendsBackWhatItReceives()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<EchoConsumer>(), "/ws/echo/");
        var (connected, subprotocol) = await communicator.ConnectAsync();
        Assert.True(connected);
        Assert.Null(subprotocol);

        await communicator.SendToAsync("hello");
        Assert.Equal("hello", (await communicator.ReceiveFromAsync()).Text);

        await communicator.SendToAsync([1, 2, 3]);
        Assert.Equal([1, 2, 3], (await communicator.ReceiveFromAsync()).Bytes);

        Assert.True(await communicator.ReceiveNothingAsync());
        await communicator.DisconnectAsync();
    }
}

// "Testing a router"

public static class ChatRouting
{
    public static IApplication Application { get; } = new ProtocolTypeRouter
    {
        ["websocket"] = new UrlRouter
        {
            Routes.Path("ws/echo/", Consumer.Of<EchoConsumer>()),
            Routes.Path("ws/chat/{room:alpha}/", Consumer.Of<ChatConsumer>()),
            Routes.Path("ws/profile/", Consumer.Of<ProfileConsumer>()),
        },
    };
}

public sealed class ChatRoutingTests : TestKit
{
    [Fact]
    public async Task EchoPath_ReachesTheEchoConsumer()
    {
        await using var communicator = new WebSocketCommunicator(Sys, ChatRouting.Application, "/ws/echo/");
        Assert.True((await communicator.ConnectAsync()).Accepted);

        await communicator.SendToAsync("ping");
        Assert.Equal("ping", (await communicator.ReceiveFromAsync()).Text);
    }

    [Theory]
    [InlineData("/ws/nowhere/")]
    [InlineData("/ws/chat/room-42/")]
    public async Task UnknownPath_IsRefusedWith404(string path)
    {
        await using var communicator = new WebSocketCommunicator(Sys, ChatRouting.Application, path);

        var result = await communicator.ConnectAsync();

        Assert.False(result.Accepted);
        Assert.Equal(404, result.StatusCode);
        Assert.StartsWith("No route found for path", communicator.Refusal!.Reason);
    }
}

// "Testing groups"

public sealed record ChatMessage(string User, string Text);

public sealed class ChatConsumer : JsonWebSocketConsumer
{
    public ChatConsumer() => Handle<ChatMessage>(message => SendJsonAsync(message));

    private string Room => $"chat_{Scope.UrlRoute["room"]}";

    protected override IEnumerable<string> Groups => [Room];

    protected override Task OnReceiveJsonAsync(JsonElement content) =>
        ChannelLayer.SendToGroupAsync(Room, new ChatMessage(Scope.User.Identity?.Name ?? "anonymous", content.GetProperty("text").GetString()!));
}

public sealed class ChatConsumerTests : TestKit
{
    [Fact]
    public async Task Message_ReachesEveryoneInTheRoom_AndNobodyElse()
    {
        await using var alice = new WebSocketCommunicator(Sys, ChatRouting.Application, "/ws/chat/lobby/").WithUser("alice");
        await using var bob = new WebSocketCommunicator(Sys, ChatRouting.Application, "/ws/chat/lobby/").WithUser("bob");
        await using var carol = new WebSocketCommunicator(Sys, ChatRouting.Application, "/ws/chat/kitchen/").WithUser("carol");
        await alice.ConnectAsync();
        await bob.ConnectAsync();
        await carol.ConnectAsync();

        await alice.SendJsonToAsync(new { text = "hi all" });

        Assert.Equal(new ChatMessage("alice", "hi all"), await alice.ReceiveJsonFromAsync<ChatMessage>());
        Assert.Equal(new ChatMessage("alice", "hi all"), await bob.ReceiveJsonFromAsync<ChatMessage>());
        Assert.True(await carol.ReceiveNothingAsync());
    }

    [Fact]
    public async Task Announcement_FromOutsideAConsumer_ReachesTheRoom()
    {
        await using var alice = new WebSocketCommunicator(Sys, ChatRouting.Application, "/ws/chat/lobby/");
        await alice.ConnectAsync();

        var layer = SwitchboardRuntime.Get(Sys).ChannelLayer;
        await layer.SendToGroupAsync("chat_lobby", new ChatMessage("system", "closing in 5 minutes"));

        Assert.Equal("closing in 5 minutes", (await alice.ReceiveJsonFromAsync<ChatMessage>()).Text);
    }
}

// "Testing an authenticated consumer"

public sealed class ProfileConsumer : JsonWebSocketConsumer
{
    protected override async Task OnConnectAsync()
    {
        if (Scope.User.Identity?.IsAuthenticated != true)
        {
            await CloseAsync(4003);
            return;
        }

        await AcceptAsync();
        await SendJsonAsync(new Profile(Scope.User.Identity.Name!, Scope.User.IsInRole("admin"), Scope.Session?.Get("theme") ?? "light"));
    }

    protected override Task OnReceiveJsonAsync(JsonElement content)
    {
        Scope.Session!.Set("theme", content.GetProperty("theme").GetString()!);
        return Scope.Session.SaveAsync();
    }
}

public sealed record Profile(string User, bool Admin, string Theme);

public sealed class ProfileConsumerTests : TestKit
{
    [Fact]
    public async Task Anonymous_IsRefusedWith4003()
    {
        await using var communicator = new WebSocketCommunicator(Sys, ChatRouting.Application, "/ws/profile/");

        var result = await communicator.ConnectAsync();

        Assert.False(result.Accepted);
        Assert.Equal(4003, result.CloseCode);
    }

    [Fact]
    public async Task SignedIn_SeesTheirProfile()
    {
        await using var communicator = new WebSocketCommunicator(Sys, ChatRouting.Application, "/ws/profile/")
            .WithUser("alice");
        await communicator.ConnectAsync();

        Assert.Equal(new Profile("alice", false, "light"), await communicator.ReceiveJsonFromAsync<Profile>());
    }

    [Fact]
    public async Task Admin_IsRecognisedByTheirRoleClaim()
    {
        var admin = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "grace"), new Claim(ClaimTypes.Role, "admin")], authenticationType: "Cookies"));
        await using var communicator = new WebSocketCommunicator(Sys, ChatRouting.Application, "/ws/profile/")
            .WithUser(admin);
        await communicator.ConnectAsync();

        Assert.True((await communicator.ReceiveJsonFromAsync<Profile>()).Admin);
    }

    [Fact]
    public async Task ChangingTheTheme_SavesTheSession()
    {
        var session = new TestSession([new("theme", "light")]);
        await using var communicator = new WebSocketCommunicator(Sys, ChatRouting.Application, "/ws/profile/")
            .WithUser("alice")
            .WithSession(session);
        await communicator.ConnectAsync();
        await communicator.ReceiveJsonFromAsync<Profile>();

        await communicator.SendJsonToAsync(new { theme = "dark" });
        await communicator.DisconnectAsync();

        Assert.Equal("dark", session.Saved["theme"]);
    }
}

// "When a consumer throws"

public sealed class ChatConsumerFailureTests : TestKit
{
    [Fact]
    public async Task MessageWithoutText_FailsTheConsumer()
    {
        await using var communicator = new WebSocketCommunicator(Sys, ChatRouting.Application, "/ws/chat/lobby/");
        await communicator.ConnectAsync();

        await communicator.SendJsonToAsync(new { txt = "typo" });

        await Assert.ThrowsAsync<KeyNotFoundException>(() => communicator.ReceiveJsonFromAsync<ChatMessage>());
    }
}

// "ApplicationCommunicator"

public sealed class EchoProtocolTests : TestKit
{
    [Fact]
    public async Task Echo_AnswersEachEventWithACommand()
    {
        await using var communicator = new ApplicationCommunicator(Sys, Consumer.Of<EchoConsumer>(), ConnectionScope.ForWebSocket("/ws/echo/"));

        await communicator.SendInputAsync(SocketConnected.Instance);
        Assert.Equal(new AcceptSocket(), await communicator.ReceiveOutputAsync());

        await communicator.SendInputAsync(FrameReceived.FromText("hi"));
        Assert.Equal(SendFrame.FromText("hi"), await communicator.ReceiveOutputAsync());

        await communicator.SendInputAsync(new SocketDisconnected(CloseCodes.Normal));
        await communicator.WaitStoppedAsync();
    }
}

// "End-to-end tests with a live server"

public sealed class ChatServer : LiveServerFixture
{
    protected override IApplication Application => ChatRouting.Application;
}

public sealed class ChatServerTests(ChatServer server) : IClassFixture<ChatServer>
{
    [Fact]
    public async Task Echo_OverARealSocket()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(server.WebSocketBaseAddress, "ws/echo/"), timeout.Token);

        await socket.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal("hello", Encoding.UTF8.GetString(buffer, 0, received.Count));

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
    }

    [Fact]
    public async Task Anonymous_ProfileHandshake_IsRefusedWith403()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri(server.WebSocketBaseAddress, "ws/profile/"), timeout.Token));

        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
    }
}
