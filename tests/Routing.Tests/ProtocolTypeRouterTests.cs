using Akka.Actor;
using Switchboard.Actors;
using Switchboard.Testing;

namespace Switchboard.Routing.Tests;

public sealed class ProtocolTypeRouterTests : Akka.TestKit.Xunit2.TestKit
{
    public sealed class Socket(IActorRef probe) : ReportingConsumer(probe);

    public sealed class Http(IActorRef probe) : ReportingConsumer(probe);

    private ProtocolTypeRouter Router() => new()
    {
        [ScopeTypes.WebSocket] = Consumer.Of<Socket>(TestActor),
        [ScopeTypes.Http] = Consumer.Of<Http>(TestActor),
    };

    [Fact]
    public async Task ConnectAsync_WebSocketScope_RoutesToTheWebSocketApplication()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Router(), "/ws/");

        var result = await communicator.ConnectAsync(Bounded.Wait);

        Assert.True(result.Accepted);
        Assert.Equal(nameof(Socket), ExpectMsg<Served>(Bounded.Wait).Consumer);
    }

    [Fact]
    public async Task StartAsync_HttpScope_RoutesToTheHttpApplication()
    {
        var scope = ConnectionScope.ForWebSocket("/api/") with { Type = ScopeTypes.Http, Method = "POST" };
        await using var communicator = new ApplicationCommunicator(Sys, Router(), scope);

        Assert.True(await communicator.StartAsync(Bounded.Wait));

        var served = ExpectMsg<Served>(Bounded.Wait);
        Assert.Equal((nameof(Http), ScopeTypes.Http), (served.Consumer, served.Scope.Type));
    }

    [Fact]
    public async Task StartAsync_UnknownType_IsRefusedWithChannelsMessage()
    {
        var scope = ConnectionScope.ForWebSocket("/") with { Type = "x" };
        await using var communicator = new ApplicationCommunicator(Sys, Router(), scope);

        Assert.False(await communicator.StartAsync(Bounded.Wait));

        Assert.Equal("No application configured for scope type 'x'.", communicator.Refusal!.Reason);
        Assert.Equal(404, communicator.Refusal.StatusCode);
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task ConnectAsync_WebSocketNotConfigured_IsRefusedWith404()
    {
        var router = new ProtocolTypeRouter { [ScopeTypes.Http] = Consumer.Of<Http>(TestActor) };
        await using var communicator = new WebSocketCommunicator(Sys, router, "/ws/");

        var result = await communicator.ConnectAsync(Bounded.Wait);

        Assert.Equal((false, 404), (result.Accepted, result.StatusCode));
    }

    [Fact]
    public async Task ConnectAsync_UrlRouterUnderWebSocket_RoutesTypeThenPath()
    {
        var router = new ProtocolTypeRouter
        {
            [ScopeTypes.WebSocket] = new UrlRouter { Routes.Path("ws/chat/{room}/", Consumer.Of<Socket>(TestActor)) },
        };
        await using var communicator = new WebSocketCommunicator(Sys, router, "/ws/chat/lobby/");

        Assert.True((await communicator.ConnectAsync(Bounded.Wait)).Accepted);

        Assert.Equal("lobby", ExpectMsg<Served>(Bounded.Wait).Scope.UrlRoute.Get<string>("room"));
    }

    [Fact]
    public void Indexer_TypeMatching_IsOrdinalAndNullApplicationsAreRejected()
    {
        var router = Router();

        Assert.True(router.Handles(ScopeTypes.WebSocket));
        Assert.False(router.Handles("WebSocket"));
        Assert.Throws<ArgumentNullException>(() => router[ScopeTypes.Channel] = null!);
        Assert.False(router.Handles(ScopeTypes.Channel));
    }
}
