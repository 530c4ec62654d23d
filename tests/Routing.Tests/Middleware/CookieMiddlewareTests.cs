using System.Collections.Immutable;
using Akka.Actor;
using Switchboard.Actors;
using Switchboard.Routing.Middleware;
using Switchboard.Testing;

namespace Switchboard.Routing.Tests.Middleware;

public sealed class CookieMiddlewareTests : Akka.TestKit.Xunit2.TestKit
{
    public sealed class Chat(IActorRef probe) : ReportingConsumer(probe);

    [Fact]
    public async Task ConnectAsync_HandBuiltScopeWithACookieHeaderAndNoCookies_InnerSeesTheParsedCookies()
    {
        await using var communicator = new WebSocketCommunicator(Sys, new CookieMiddleware(Consumer.Of<Chat>(TestActor)), "/ws/",
            [new("Cookie", "sessionid=abc; theme=dark; quoted=\"two words\"; encoded=a%20b"), new("cookie", "theme=light; extra=1")]);
        communicator.Scope = communicator.Scope with { Cookies = ImmutableDictionary<string, string>.Empty };
        var original = communicator.Scope;

        await communicator.ConnectAsync(Bounded.Wait);

        var cookies = ExpectMsg<Served>(Bounded.Wait).Scope.Cookies;
        Assert.Equal("abc", cookies["sessionid"]);
        Assert.Equal("dark", cookies["theme"]);
        Assert.Equal("two words", cookies["quoted"]);
        Assert.Equal("a b", cookies["encoded"]);
        Assert.Equal("1", cookies["extra"]);
        Assert.Empty(original.Cookies);
    }

    [Fact]
    public async Task ConnectAsync_NoCookieHeader_CookiesAreEmptyAndTheScopeIsNotCopied()
    {
        await using var communicator = new WebSocketCommunicator(Sys, new CookieMiddleware(Consumer.Of<Chat>(TestActor)), "/ws/",
            [new("origin", "http://localhost")]);

        await communicator.ConnectAsync(Bounded.Wait);

        var served = ExpectMsg<Served>(Bounded.Wait).Scope;
        Assert.Empty(served.Cookies);
        Assert.Same(communicator.Scope, served);
    }

    [Fact]
    public async Task ConnectAsync_ScopeAlreadyHasCookies_PassesThroughUnchanged()
    {
        await using var communicator = new WebSocketCommunicator(Sys, new CookieMiddleware(Consumer.Of<Chat>(TestActor)), "/ws/", [new("cookie", "a=1")]);
        communicator.Scope = communicator.Scope with { Cookies = ImmutableDictionary<string, string>.Empty.Add("set", "by hand") };

        await communicator.ConnectAsync(Bounded.Wait);

        Assert.Same(communicator.Scope, ExpectMsg<Served>(Bounded.Wait).Scope);
    }
}
