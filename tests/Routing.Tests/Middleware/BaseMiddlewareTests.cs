using Akka.Actor;
using Switchboard.Actors;
using Switchboard.Routing.Middleware;
using Switchboard.Routing.Security;
using Switchboard.Testing;

namespace Switchboard.Routing.Tests.Middleware;

/// <summary>
/// <see cref="BaseMiddleware"/>: the inner application gets the scope <c>TransformAsync</c> made; the scope the middleware
/// was given, and everything above it, never sees the change; a route to middleware around a router matches a prefix.
/// </summary>
public sealed class BaseMiddlewareTests : Akka.TestKit.Xunit2.TestKit
{
    public sealed class Chat(IActorRef probe) : ReportingConsumer(probe);

    public sealed class Users(IActorRef probe) : ReportingConsumer(probe);

    public sealed class Fallback(IActorRef probe) : ReportingConsumer(probe);

    private sealed record Stamp(string Value);

    /// <summary>Adds <c>value</c> to the scope's stamps; asynchronously when <c>yield</c> is set.</summary>
    private sealed class Stamper(IApplication inner, string value, bool yield = false) : BaseMiddleware(inner)
    {
        protected override async ValueTask<ConnectionScope> TransformAsync(ConnectionScope scope, CancellationToken cancellationToken)
        {
            if (yield)
            {
                await Task.Yield();
            }

            var stamps = scope.Extensions.Get<Stamp>()?.Value;
            return scope with { Extensions = scope.Extensions.With(new Stamp(stamps is null ? value : $"{stamps}+{value}")) };
        }
    }

    /// <summary>Keeps the scope it was given, and looks at it again after its inner application resolved.</summary>
    private sealed class Recorder(IApplication inner) : BaseMiddleware(inner)
    {
        public ConnectionScope? Given { get; private set; }

        protected override ValueTask<ConnectionScope> TransformAsync(ConnectionScope scope, CancellationToken cancellationToken)
        {
            Given = scope;
            return new(scope);
        }
    }

    private sealed class Refuser(IApplication inner) : BaseMiddleware(inner)
    {
        protected override ValueTask<ConnectionScope> TransformAsync(ConnectionScope scope, CancellationToken cancellationToken) =>
            throw new ConnectionRefusedException("Not today.");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ConnectAsync_InnerMiddlewareChangesTheScope_TheChangeIsInvisibleOutsideIt(bool yield)
    {
        var recorder = new Recorder(new Stamper(Consumer.Of<Chat>(TestActor), "inner", yield));
        var application = new Stamper(recorder, "outer", yield);
        await using var communicator = new WebSocketCommunicator(Sys, application, "/ws/");
        var original = communicator.Scope;

        Assert.True((await communicator.ConnectAsync(Bounded.Wait)).Accepted);

        Assert.Equal("outer+inner", ExpectMsg<Served>(Bounded.Wait).Scope.Extensions.Get<Stamp>()!.Value);
        Assert.Equal("outer", recorder.Given!.Extensions.Get<Stamp>()!.Value);
        Assert.Same(original, communicator.Scope);
        Assert.Null(original.Extensions.Get<Stamp>());
    }

    [Fact]
    public async Task ConnectAsync_TransformAsyncRefuses_403AndTheInnerApplicationNeverRuns()
    {
        var recorder = new Recorder(Consumer.Of<Chat>(TestActor));
        await using var communicator = new WebSocketCommunicator(Sys, new Refuser(recorder), "/ws/");

        var result = await communicator.ConnectAsync(Bounded.Wait);

        Assert.Equal(403, result.StatusCode);
        Assert.Equal("Not today.", communicator.Refusal!.Reason);
        Assert.Null(recorder.Given);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void IsPrefix_MiddlewareAroundARouter_IsAPrefixRouteThroughAnyDepth()
    {
        Assert.True(Routes.Path("ws/", new Stamper(new UrlRouter(), "a")).IsPrefix);
        Assert.True(Routes.Path("ws/", new Stamper(new Recorder(new UrlRouter()), "a")).IsPrefix);
        Assert.True(Routes.Path("ws/", new OriginValidator(new UrlRouter(), ["*"])).IsPrefix);
        Assert.True(Routes.Path("ws/", OriginValidator.AllowedHosts(new UrlRouter())).IsPrefix);
        Assert.False(Routes.Path("ws/", new Stamper(Consumer.Of<Chat>(TestActor), "a")).IsPrefix);
    }

    [Fact]
    public async Task ConnectAsync_RouteToMiddlewareAroundARouter_MatchesAPrefixAndTheInnerRouterSeesTheRest()
    {
        var router = new UrlRouter
        {
            Routes.Path("ws/admin/", new Stamper(new UrlRouter { Routes.Path("users/{id:int}/", Consumer.Of<Users>(TestActor)) }, "admin")),
        };
        await using var communicator = new WebSocketCommunicator(Sys, router, "/ws/admin/users/7/");

        Assert.True((await communicator.ConnectAsync(Bounded.Wait)).Accepted);

        var served = ExpectMsg<Served>(Bounded.Wait);
        Assert.Equal(nameof(Users), served.Consumer);
        Assert.Equal(7, served.Scope.UrlRoute.Get<int>("id"));
        Assert.Equal("admin", served.Scope.Extensions.Get<Stamp>()!.Value);
    }

    [Fact]
    public async Task ConnectAsync_RouterInsideMiddlewareHasNoMatch_TheOuterRouterTriesItsNextRoute()
    {
        var router = new UrlRouter
        {
            Routes.Path("ws/", new Stamper(new UrlRouter { Routes.Path("nothing/", Consumer.Of<Users>(TestActor)) }, "branch")),
            Routes.Path("ws/chat/", Consumer.Of<Fallback>(TestActor)),
        };
        await using var communicator = new WebSocketCommunicator(Sys, router, "/ws/chat/");

        Assert.True((await communicator.ConnectAsync(Bounded.Wait)).Accepted);

        var served = ExpectMsg<Served>(Bounded.Wait);
        Assert.Equal(nameof(Fallback), served.Consumer);
        Assert.Null(served.Scope.Extensions.Get<Stamp>());
    }

    [Fact]
    public async Task ConnectAsync_OriginValidatorAroundANestedRouter_ValidatesAndMatchesAPrefix()
    {
        var router = new UrlRouter
        {
            Routes.Path("ws/", new OriginValidator(new UrlRouter { Routes.Path("chat/", Consumer.Of<Chat>(TestActor)) }, ["example.com"])),
        };
        await using var allowed = new WebSocketCommunicator(Sys, router, "/ws/chat/", [new("origin", "https://example.com")]);
        await using var refused = new WebSocketCommunicator(Sys, router, "/ws/chat/", [new("origin", "https://evil.example")]);

        Assert.True((await allowed.ConnectAsync(Bounded.Wait)).Accepted);
        Assert.Equal(403, (await refused.ConnectAsync(Bounded.Wait)).StatusCode);
    }
}
