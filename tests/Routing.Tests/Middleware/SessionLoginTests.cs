using System.Security.Claims;
using Switchboard.Actors;
using Switchboard.Actors.Consumers;
using Switchboard.Routing.Middleware;
using Switchboard.Testing;

namespace Switchboard.Routing.Tests.Middleware;

/// <summary><see cref="SessionLogin"/>: Channels' <c>login(scope, user)</c> and <c>logout(scope)</c> from a consumer.</summary>
public sealed class SessionLoginTests : Akka.TestKit.Xunit2.TestKit
{
    /// <summary>
    /// <c>login NAME</c> logs in and saves, <c>login-unsaved NAME</c> logs in without saving, <c>login-anonymous</c> tries an
    /// anonymous principal, <c>logout</c> logs out and saves, <c>whoami</c> answers; every answer is the user's name or <c>anonymous</c>.
    /// </summary>
    public sealed class LoginConsumer : WebSocketConsumer
    {
        protected override async Task OnReceiveAsync(string? text, byte[]? bytes)
        {
            var (verb, argument) = text!.IndexOf(' ', StringComparison.Ordinal) is var space and > 0 ? (text[..space], text[(space + 1)..]) : (text, "");
            switch (verb)
            {
                case "login":
                    this.Login(Users.Named(argument));
                    await Scope.Session!.SaveAsync();
                    break;
                case "login-unsaved":
                    this.Login(Users.Named(argument));
                    break;
                case "login-anonymous":
                    this.Login(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "nobody")])));
                    break;
                case "logout":
                    this.Logout();
                    await Scope.Session!.SaveAsync();
                    break;
            }

            await SendAsync(Users.NameOf(Scope) ?? "anonymous");
        }
    }

    [Fact]
    public async Task Login_ThenSave_TheSessionHoldsTheUserAndTheConsumerSeesIt()
    {
        var session = new TestSession();
        await using var communicator = await ConnectAsync(session);

        Assert.Equal("anonymous", await SayAsync(communicator, "whoami"));
        Assert.Equal("ada", await SayAsync(communicator, "login ada"));
        Assert.Equal("ada", await SayAsync(communicator, "whoami"));

        Assert.Contains(SessionLogin.SessionKey, session.Saved.Keys);
        Assert.Equal(1, session.SaveCount);
    }

    [Fact]
    public async Task Login_WithoutSave_ChangesTheSessionButDoesNotSaveIt()
    {
        var session = new TestSession();
        await using var communicator = await ConnectAsync(session);

        Assert.Equal("ada", await SayAsync(communicator, "login-unsaved ada"));

        Assert.NotNull(session.Get(SessionLogin.SessionKey));
        Assert.Equal(0, session.SaveCount);
    }

    [Fact]
    public async Task Login_NextConnectionThroughAuthMiddlewareStack_IsThatUser()
    {
        var store = new FakeSessionStore();
        store.Sessions["k"] = new TestSession();
        var application = AuthMiddlewareStack.Wrap(Consumer.Of<LoginConsumer>(), store, new FakeAuthenticator());
        KeyValuePair<string, string>[] cookie = [new("cookie", ".AspNetCore.Session=k")];

        await using (var first = new WebSocketCommunicator(Sys, application, "/ws/", cookie))
        {
            await first.ConnectAsync(Bounded.Wait);
            Assert.Equal("anonymous", await SayAsync(first, "whoami"));
            Assert.Equal("ada", await SayAsync(first, "login ada"));
        }

        await using var second = new WebSocketCommunicator(Sys, application, "/ws/", cookie);
        await second.ConnectAsync(Bounded.Wait);
        Assert.Equal("ada", await SayAsync(second, "whoami"));
    }

    [Fact]
    public async Task Login_AnotherUserWasLoggedIn_TheSessionIsClearedFirst()
    {
        var session = new TestSession([new("cart", "3 items")]);
        await using var communicator = await ConnectAsync(session);

        await SayAsync(communicator, "login linus");
        Assert.Equal("3 items", session.Get("cart"));
        await SayAsync(communicator, "login linus");
        Assert.Equal("3 items", session.Get("cart"));

        Assert.Equal("ada", await SayAsync(communicator, "login ada"));
        Assert.Null(session.Get("cart"));
    }

    [Fact]
    public async Task Logout_ClearsTheSessionAndTheUserIsAnonymous()
    {
        var session = new TestSession([new("cart", "3 items")]);
        await using var communicator = await ConnectAsync(session);
        await SayAsync(communicator, "login ada");

        Assert.Equal("anonymous", await SayAsync(communicator, "logout"));

        Assert.Empty(session.Saved);
        Assert.Equal("anonymous", await SayAsync(communicator, "whoami"));
    }

    [Fact]
    public async Task Logout_UserCameFromWithUser_TheConsumerSeesAnAnonymousUser()
    {
        await using var communicator = await ConnectAsync(new TestSession(), c => c.WithUser("grace"));

        Assert.Equal("grace", await SayAsync(communicator, "whoami"));
        Assert.Equal("anonymous", await SayAsync(communicator, "logout"));
    }

    [Fact]
    public async Task Login_NoSession_FailsInTheConsumerSaying_WrapItInSessionMiddleware()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<LoginConsumer>(), "/ws/");
        await communicator.ConnectAsync(Bounded.Wait);
        await communicator.SendToAsync("login ada");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => communicator.ReceiveFromAsync(Bounded.Wait));

        Assert.Contains("SessionMiddleware", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_UnauthenticatedPrincipal_IsRejected()
    {
        await using var communicator = await ConnectAsync(new TestSession());
        await communicator.SendToAsync("login-anonymous");

        await Assert.ThrowsAsync<ArgumentException>(() => communicator.ReceiveFromAsync(Bounded.Wait));
    }

    private async Task<WebSocketCommunicator> ConnectAsync(TestSession session, Action<WebSocketCommunicator>? configure = null)
    {
        var communicator = new WebSocketCommunicator(Sys, Consumer.Of<LoginConsumer>(), "/ws/").WithSession(session);
        configure?.Invoke(communicator);
        Assert.True((await communicator.ConnectAsync(Bounded.Wait)).Accepted);
        return communicator;
    }

    private static async Task<string?> SayAsync(WebSocketCommunicator communicator, string text)
    {
        await communicator.SendToAsync(text);
        return (await communicator.ReceiveFromAsync(Bounded.Wait)).Text;
    }
}
