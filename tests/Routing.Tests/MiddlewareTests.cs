using System.Security.Claims;
using Akka.Actor;
using Switchboard.Actors;
using Switchboard.Testing;

namespace Switchboard.Routing.Tests;

/// <summary>
/// Middleware is an application that hands its inner application a new scope (<c>scope with { ... }</c>), as Channels'
/// <c>BaseMiddleware</c> copies the scope "so changes never travel upstream". These tests pin that down for routers too.
/// </summary>
public sealed class MiddlewareTests : Akka.TestKit.Xunit2.TestKit
{
    public sealed class Chat(IActorRef probe) : ReportingConsumer(probe);

    public sealed class Fallback(IActorRef probe) : ReportingConsumer(probe);

    private sealed record Tenant(string Name);

    /// <summary>A middleware as users write one: a user, a tenant from a header, and a url value, all on a new scope.</summary>
    private sealed class TenantMiddleware(IApplication inner) : IApplication
    {
        public ValueTask<Props> ResolveAsync(ConnectionScope scope, CancellationToken cancellationToken = default) =>
            inner.ResolveAsync(
                scope with
                {
                    User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ada")], "Test")),
                    Extensions = scope.Extensions.With(new Tenant(scope.GetHeader("x-tenant") ?? "none")),
                    UrlRoute = scope.UrlRoute with { Kwargs = scope.UrlRoute.Kwargs.SetItem("stamped", true) },
                    PathRemaining = "rewritten/",
                },
                cancellationToken);
    }

    /// <summary>Keeps the scope it was given, to look at after its inner application has run.</summary>
    private sealed class Recorder(IApplication inner) : IApplication
    {
        public List<ConnectionScope> Given { get; } = [];

        public async ValueTask<Props> ResolveAsync(ConnectionScope scope, CancellationToken cancellationToken = default)
        {
            Given.Add(scope);
            return await inner.ResolveAsync(scope, cancellationToken);
        }
    }

    [Fact]
    public async Task ConnectAsync_MiddlewareHandsInANewScope_InnerSeesItAndTheOuterScopeIsUnchanged()
    {
        var recorder = new Recorder(new UrlRouter
        {
            Routes.Path("ws/{room}/", new TenantMiddleware(Consumer.Of<Chat>(TestActor))),
        });
        await using var communicator = new WebSocketCommunicator(Sys, recorder, "/ws/lobby/", [new("x-tenant", "acme")]);
        var original = communicator.Scope;

        Assert.True((await communicator.ConnectAsync(Bounded.Wait)).Accepted);

        var inner = ExpectMsg<Served>(Bounded.Wait).Scope;
        Assert.Equal("ada", inner.User.Identity!.Name);
        Assert.Equal(new Tenant("acme"), inner.Extensions.Get<Tenant>());
        Assert.Equal("lobby", inner.UrlRoute.Get<string>("room"));
        Assert.True(inner.UrlRoute.Get<bool>("stamped"));

        var outer = Assert.Single(recorder.Given);
        Assert.Same(original, outer);
        Assert.False(outer.User.Identity!.IsAuthenticated);
        Assert.Null(outer.Extensions.Get<Tenant>());
        Assert.Equal(UrlRoute.Empty, outer.UrlRoute);
        Assert.Null(outer.PathRemaining);
        Assert.Same(original, communicator.Scope);
    }

    [Fact]
    public async Task ConnectAsync_RouterInsideARecorder_RouteValuesAndPathRemainingDoNotTravelUpstream()
    {
        var innerRecorder = new Recorder(Consumer.Of<Chat>(TestActor));
        var outerRecorder = new Recorder(new UrlRouter
        {
            Routes.Path("ws/", new UrlRouter { Routes.Path("{room}/", innerRecorder) }),
        });
        await using var communicator = new WebSocketCommunicator(Sys, outerRecorder, "/ws/lobby/");

        Assert.True((await communicator.ConnectAsync(Bounded.Wait)).Accepted);

        var inner = Assert.Single(innerRecorder.Given);
        Assert.Equal(("lobby", ""), (inner.UrlRoute.Get<string>("room"), inner.PathRemaining));
        var outer = Assert.Single(outerRecorder.Given);
        Assert.Equal((UrlRoute.Empty, (string?)null, "/ws/lobby/"), (outer.UrlRoute, outer.PathRemaining, outer.Path));
    }

    [Fact]
    public async Task ConnectAsync_BranchThatMiddlewareChangedThenFailed_NextRouteSeesTheOriginalScope()
    {
        var router = new UrlRouter
        {
            // The nested router matches "{*rest}", the middleware changes the scope, and the router below it finds nothing:
            // the outer router backtracks, and its next route must not see anything the failed branch did.
            Routes.Path("ws/", new UrlRouter
            {
                Routes.Path("{*rest}", new TenantMiddleware(new UrlRouter { Routes.Path("nothing/", Consumer.Of<Chat>(TestActor)) })),
            }),
            Routes.Path("ws/chat/", Consumer.Of<Fallback>(TestActor)),
        };
        await using var communicator = new WebSocketCommunicator(Sys, router, "/ws/chat/", [new("x-tenant", "acme")]);

        Assert.True((await communicator.ConnectAsync(Bounded.Wait)).Accepted);

        var served = ExpectMsg<Served>(Bounded.Wait);
        Assert.Equal(nameof(Fallback), served.Consumer);
        Assert.Empty(served.Scope.UrlRoute.Kwargs);
        Assert.Null(served.Scope.Extensions.Get<Tenant>());
        Assert.False(served.Scope.User.Identity!.IsAuthenticated);
    }

    [Fact]
    public async Task ConnectAsync_OneMiddlewareInstanceForTwoConnections_EachConsumerSeesItsOwnScope()
    {
        var application = new TenantMiddleware(Consumer.Of<Chat>(TestActor));
        await using var acme = new WebSocketCommunicator(Sys, application, "/ws/", [new("x-tenant", "acme")]);
        await using var globex = new WebSocketCommunicator(Sys, application, "/ws/", [new("x-tenant", "globex")]);

        await Task.WhenAll(acme.ConnectAsync(Bounded.Wait), globex.ConnectAsync(Bounded.Wait));

        var tenants = new[] { ExpectMsg<Served>(Bounded.Wait), ExpectMsg<Served>(Bounded.Wait) }
            .Select(s => s.Scope.Extensions.Get<Tenant>()!.Name)
            .Order(StringComparer.Ordinal);
        Assert.Equal(["acme", "globex"], tenants);
    }
}
