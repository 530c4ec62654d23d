using Akka.Actor;
using Switchboard.Actors;
using Switchboard.Routing.Middleware;
using Switchboard.Testing;

namespace Switchboard.Routing.Tests.Middleware;

public sealed class SessionMiddlewareTests : Akka.TestKit.Xunit2.TestKit
{
    public sealed class Chat(IActorRef probe) : ReportingConsumer(probe);

    [Fact]
    public async Task ConnectAsync_SessionCookie_InnerSeesTheStoredSessionAndTheOuterScopeHasNone()
    {
        var store = new FakeSessionStore();
        var stored = new TestSession([new("cart", "3 items")]);
        store.Sessions["key-1"] = stored;
        await using var communicator = new WebSocketCommunicator(Sys, new SessionMiddleware(Consumer.Of<Chat>(TestActor), store), "/ws/",
            [new("cookie", ".AspNetCore.Session=key-1; other=x")]);

        await communicator.ConnectAsync(Bounded.Wait);

        var session = ExpectMsg<Served>(Bounded.Wait).Scope.Session;
        Assert.Same(stored, session);
        Assert.Equal("3 items", session!.Get("cart"));
        Assert.Null(communicator.Scope.Session);
        Assert.Equal(["key-1"], store.Loaded);
    }

    [Fact]
    public async Task ConnectAsync_NoSessionCookie_TheStoreIsAskedForANewSession()
    {
        var store = new FakeSessionStore();
        await using var communicator = new WebSocketCommunicator(Sys, new SessionMiddleware(Consumer.Of<Chat>(TestActor), store), "/ws/",
            [new("cookie", "other=x; .AspNetCore.Session=")]);

        await communicator.ConnectAsync(Bounded.Wait);

        var session = ExpectMsg<Served>(Bounded.Wait).Scope.Session;
        Assert.NotNull(session);
        Assert.Empty(session.Keys);
        Assert.Equal([null], store.Loaded);
    }

    [Fact]
    public async Task ConnectAsync_StoreNamesItsCookie_ThatCookieIsRead()
    {
        var store = new FakeSessionStore("chat.session");
        await using var communicator = new WebSocketCommunicator(Sys, new SessionMiddleware(Consumer.Of<Chat>(TestActor), store), "/ws/",
            [new("cookie", ".AspNetCore.Session=wrong; chat.session=right")]);

        await communicator.ConnectAsync(Bounded.Wait);

        Assert.Equal(["right"], store.Loaded);
    }

    [Fact]
    public async Task ConnectAsync_CookieNameGiven_OverridesTheStores()
    {
        var store = new FakeSessionStore("chat.session");
        var application = new SessionMiddleware(Consumer.Of<Chat>(TestActor), store, cookieName: "sessionid");
        await using var communicator = new WebSocketCommunicator(Sys, application, "/ws/", [new("cookie", "chat.session=wrong; sessionid=django")]);

        await communicator.ConnectAsync(Bounded.Wait);

        Assert.Equal(["django"], store.Loaded);
    }

    [Fact]
    public async Task ConnectAsync_StoreWithoutACookieName_UsesAspNetCoresDefault()
    {
        var store = new DefaultNamedStore();
        await using var communicator = new WebSocketCommunicator(Sys, new SessionMiddleware(Consumer.Of<Chat>(TestActor), store), "/ws/",
            [new("cookie", ".AspNetCore.Session=abc")]);

        await communicator.ConnectAsync(Bounded.Wait);

        Assert.Equal("abc", store.LastKey);
        Assert.Equal(".AspNetCore.Session", ((IConnectionSessionStore)store).CookieName);
    }

    [Fact]
    public async Task ConnectAsync_StoreAttachedToTheScope_IsUsedWhenNoneIsGiven()
    {
        var store = new FakeSessionStore();
        store.Sessions["k"] = new TestSession([new("a", "1")]);
        await using var communicator = new WebSocketCommunicator(Sys, new SessionMiddleware(Consumer.Of<Chat>(TestActor)), "/ws/",
            [new("cookie", ".AspNetCore.Session=k")]);
        communicator.Scope = communicator.Scope with { Extensions = communicator.Scope.Extensions.With<IConnectionSessionStore>(store) };

        await communicator.ConnectAsync(Bounded.Wait);

        Assert.Equal("1", ExpectMsg<Served>(Bounded.Wait).Scope.Session!.Get("a"));
    }

    [Fact]
    public async Task ConnectAsync_ScopeAlreadyHasASession_PassesThroughSoNestingIsSafe()
    {
        var store = new FakeSessionStore();
        var given = new TestSession();
        var application = new SessionMiddleware(new SessionMiddleware(Consumer.Of<Chat>(TestActor), store), store);
        await using var communicator = new WebSocketCommunicator(Sys, application, "/ws/", [new("cookie", ".AspNetCore.Session=k")]).WithSession(given);

        await communicator.ConnectAsync(Bounded.Wait);

        Assert.Same(given, ExpectMsg<Served>(Bounded.Wait).Scope.Session);
        Assert.Empty(store.Loaded);
    }

    [Fact]
    public async Task ConnectAsync_NestedWithoutASessionGiven_LoadsOnce()
    {
        var store = new FakeSessionStore();
        var application = new SessionMiddleware(new SessionMiddleware(Consumer.Of<Chat>(TestActor), store), store);
        await using var communicator = new WebSocketCommunicator(Sys, application, "/ws/", [new("cookie", ".AspNetCore.Session=k")]);

        await communicator.ConnectAsync(Bounded.Wait);

        ExpectMsg<Served>(Bounded.Wait);
        Assert.Equal(["k"], store.Loaded);
    }

    [Fact]
    public async Task ConnectAsync_NoStoreAnywhere_FailsAtResolveWithAMessageThatSaysWhatToDo()
    {
        await using var communicator = new WebSocketCommunicator(Sys, new SessionMiddleware(Consumer.Of<Chat>(TestActor)), "/ws/");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => communicator.ConnectAsync(Bounded.Wait));

        Assert.Contains("AddSession()", error.Message, StringComparison.Ordinal);
        Assert.Contains("WithSession", error.Message, StringComparison.Ordinal);
    }
}
