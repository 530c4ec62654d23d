using System.Security.Claims;
using Akka.Actor;
using Switchboard.Actors;
using Switchboard.Routing.Middleware;
using Switchboard.Testing;

namespace Switchboard.Routing.Tests.Middleware;

public sealed class AuthMiddlewareTests : Akka.TestKit.Xunit2.TestKit
{
    public sealed class Chat(IActorRef probe) : ReportingConsumer(probe);

    [Fact]
    public async Task ConnectAsync_AuthenticatorFindsAUser_InnerSeesItAndTheOuterScopeStaysAnonymous()
    {
        var authenticator = new FakeAuthenticator();
        await using var communicator = new WebSocketCommunicator(Sys, new AuthMiddleware(Consumer.Of<Chat>(TestActor), authenticator), "/ws/",
            [new("authorization", "Token ada")]);

        await communicator.ConnectAsync(Bounded.Wait);

        Assert.Equal("ada", Users.NameOf(ExpectMsg<Served>(Bounded.Wait).Scope));
        Assert.False(communicator.Scope.User.Identity!.IsAuthenticated);
    }

    [Fact]
    public async Task ConnectAsync_NoCredentials_InnerSeesAnAnonymousUser()
    {
        await using var communicator = new WebSocketCommunicator(Sys, new AuthMiddleware(Consumer.Of<Chat>(TestActor), new FakeAuthenticator()), "/ws/");

        await communicator.ConnectAsync(Bounded.Wait);

        var user = ExpectMsg<Served>(Bounded.Wait).Scope.User;
        Assert.False(user.Identity!.IsAuthenticated);
        Assert.Empty(user.Claims);
    }

    [Fact]
    public async Task ConnectAsync_ScopeUserAlreadyAuthenticated_IsKeptAndTheAuthenticatorIsNotAsked()
    {
        var authenticator = new FakeAuthenticator();
        await using var communicator = new WebSocketCommunicator(Sys, new AuthMiddleware(Consumer.Of<Chat>(TestActor), authenticator), "/ws/",
            [new("authorization", "Token mallory")]).WithUser("grace");

        await communicator.ConnectAsync(Bounded.Wait);

        Assert.Equal("grace", Users.NameOf(ExpectMsg<Served>(Bounded.Wait).Scope));
        Assert.Equal(0, authenticator.Calls);
    }

    [Fact]
    public async Task ConnectAsync_AuthenticatorAttachedToTheScope_IsUsedWhenNoneIsGiven()
    {
        await using var communicator = new WebSocketCommunicator(Sys, new AuthMiddleware(Consumer.Of<Chat>(TestActor)), "/ws/",
            [new("authorization", "Token ada")]);
        communicator.Scope = communicator.Scope with { Extensions = communicator.Scope.Extensions.With<IConnectionAuthenticator>(new FakeAuthenticator()) };

        await communicator.ConnectAsync(Bounded.Wait);

        Assert.Equal("ada", Users.NameOf(ExpectMsg<Served>(Bounded.Wait).Scope));
    }

    [Fact]
    public async Task ConnectAsync_SessionHoldsALoggedInUser_InnerSeesThatUser()
    {
        var session = new TestSession();
        await LoginThroughAConsumerAsync(session, "linus");
        await using var communicator = new WebSocketCommunicator(Sys, new AuthMiddleware(Consumer.Of<Chat>(TestActor), new FakeAuthenticator()), "/ws/")
            .WithSession(session);

        await communicator.ConnectAsync(Bounded.Wait);

        var user = ExpectMsg<Served>(Bounded.Wait).Scope.User;
        Assert.Equal("linus", user.Identity!.Name);
        Assert.Equal("linus", user.FindFirst(ClaimTypes.NameIdentifier)!.Value);
        Assert.Equal("Fake", user.Identity.AuthenticationType);
    }

    [Fact]
    public async Task ConnectAsync_HandshakeCredentialsAndASessionLogin_TheHandshakesUserWins()
    {
        var session = new TestSession();
        await LoginThroughAConsumerAsync(session, "linus");
        await using var communicator = new WebSocketCommunicator(Sys, new AuthMiddleware(Consumer.Of<Chat>(TestActor), new FakeAuthenticator()), "/ws/",
            [new("authorization", "Token ada")]).WithSession(session);

        await communicator.ConnectAsync(Bounded.Wait);

        Assert.Equal("ada", Users.NameOf(ExpectMsg<Served>(Bounded.Wait).Scope));
    }

    [Fact]
    public async Task ConnectAsync_SessionOnlyAndNoAuthenticator_WorksFromTheSession()
    {
        await using var communicator = new WebSocketCommunicator(Sys, new AuthMiddleware(Consumer.Of<Chat>(TestActor)), "/ws/").WithSession(new TestSession());

        await communicator.ConnectAsync(Bounded.Wait);

        Assert.False(ExpectMsg<Served>(Bounded.Wait).Scope.User.Identity!.IsAuthenticated);
    }

    [Fact]
    public async Task ConnectAsync_NoCredentialsAndTheScopeUserAnonymous_PassesTheScopeThroughUncopied()
    {
        await using var communicator = new WebSocketCommunicator(Sys, new AuthMiddleware(Consumer.Of<Chat>(TestActor), new FakeAuthenticator()), "/ws/");

        await communicator.ConnectAsync(Bounded.Wait);

        Assert.Same(communicator.Scope, ExpectMsg<Served>(Bounded.Wait).Scope);
    }

    [Fact]
    public async Task ConnectAsync_NoCredentialsAndAnUnauthenticatedUserWithClaims_InnerSeesAFreshAnonymousUser()
    {
        await using var communicator = new WebSocketCommunicator(Sys, new AuthMiddleware(Consumer.Of<Chat>(TestActor), new FakeAuthenticator()), "/ws/");
        communicator.Scope = communicator.Scope with { User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "guest")])) };

        await communicator.ConnectAsync(Bounded.Wait);

        var user = ExpectMsg<Served>(Bounded.Wait).Scope.User;
        Assert.False(user.Identity!.IsAuthenticated);
        Assert.Empty(user.Claims);
    }

    [Fact]
    public async Task ConnectAsync_SessionValueIsNotALogin_TheUserIsAnonymous()
    {
        var session = new TestSession([new(SessionLogin.SessionKey, "{not json")]);
        await using var communicator = new WebSocketCommunicator(Sys, new AuthMiddleware(Consumer.Of<Chat>(TestActor)), "/ws/").WithSession(session);

        await communicator.ConnectAsync(Bounded.Wait);

        Assert.False(ExpectMsg<Served>(Bounded.Wait).Scope.User.Identity!.IsAuthenticated);
    }

    [Fact]
    public async Task ConnectAsync_NoAuthenticatorAndNoSession_FailsAtResolveWithAMessageThatSaysWhatToDo()
    {
        await using var communicator = new WebSocketCommunicator(Sys, new AuthMiddleware(Consumer.Of<Chat>(TestActor)), "/ws/");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => communicator.ConnectAsync(Bounded.Wait));

        Assert.Contains("SessionMiddleware", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stack_CookieThenSessionThenAuth_TheUserComesFromTheSessionNamedByTheCookieHeader()
    {
        var store = new FakeSessionStore();
        var session = new TestSession();
        await LoginThroughAConsumerAsync(session, "linus");
        store.Sessions["k"] = session;
        var application = AuthMiddlewareStack.Wrap(Consumer.Of<Chat>(TestActor), store, new FakeAuthenticator());
        await using var communicator = new WebSocketCommunicator(Sys, application, "/ws/", [new("cookie", ".AspNetCore.Session=k")]);

        // A hand-built scope: only CookieMiddleware can find the session cookie.
        communicator.Scope = communicator.Scope with { Cookies = communicator.Scope.Cookies.Clear() };
        await communicator.ConnectAsync(Bounded.Wait);

        var inner = ExpectMsg<Served>(Bounded.Wait).Scope;
        Assert.Equal("linus", Users.NameOf(inner));
        Assert.Same(session, inner.Session);
        Assert.Equal("k", inner.Cookies[".AspNetCore.Session"]);
        Assert.Null(communicator.Scope.Session);
        Assert.Empty(communicator.Scope.Cookies);
    }

    [Fact]
    public void Stack_IsCookieAroundSessionAroundAuth()
    {
        var consumer = Consumer.Of<Chat>(TestActor);

        var cookie = Assert.IsType<CookieMiddleware>(AuthMiddlewareStack.Wrap(consumer));
        var session = Assert.IsType<SessionMiddleware>(cookie.Inner);
        var auth = Assert.IsType<AuthMiddleware>(session.Inner);
        Assert.Same(consumer, auth.Inner);
        Assert.Same(consumer, Assert.IsType<SessionMiddleware>(Assert.IsType<CookieMiddleware>(SessionMiddlewareStack.Wrap(consumer)).Inner).Inner);
    }

    /// <summary>Logs <paramref name="name"/> in to <paramref name="session"/> the way a consumer would, and saves.</summary>
    private async Task LoginThroughAConsumerAsync(TestSession session, string name)
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<SessionLoginTests.LoginConsumer>(), "/ws/").WithSession(session);
        await communicator.ConnectAsync(Bounded.Wait);
        await communicator.SendToAsync($"login {name}");
        Assert.Equal(name, (await communicator.ReceiveFromAsync(Bounded.Wait)).Text);
    }
}
