using Akka.Actor;
using Switchboard.Actors;
using Switchboard.Testing;

namespace Switchboard.Routing.Tests;

public sealed class UrlRouterTests : Akka.TestKit.Xunit2.TestKit
{
    public sealed class Chat(IActorRef probe) : ReportingConsumer(probe);

    public sealed class Room(IActorRef probe) : ReportingConsumer(probe);

    public sealed class User(IActorRef probe) : ReportingConsumer(probe);

    public sealed class Fallback(IActorRef probe) : ReportingConsumer(probe);

    private IApplication Serve<TConsumer>() where TConsumer : ReportingConsumer => Consumer.Of<TConsumer>(TestActor);

    /// <summary>Connects to <paramref name="path"/>, expects an accept, and returns what the consumer was started with.</summary>
    private async Task<Served> ConnectAsync(IApplication application, string path, Func<ConnectionScope, ConnectionScope>? scope = null)
    {
        await using var communicator = new WebSocketCommunicator(Sys, application, path);
        if (scope is not null)
        {
            communicator.Scope = scope(communicator.Scope);
        }

        var result = await communicator.ConnectAsync(Bounded.Wait);
        Assert.True(result.Accepted, $"Expected '{path}' to be accepted, but it was refused with {result.StatusCode}.");
        return ExpectMsg<Served>(Bounded.Wait);
    }

    /// <summary>Resolves <paramref name="path"/> and expects a refusal; returns it (status and reason).</summary>
    private async Task<ConnectionRefused> RefuseAsync(IApplication application, string path, Func<ConnectionScope, ConnectionScope>? scope = null)
    {
        var start = ConnectionScope.ForWebSocket(path);
        await using var communicator = new ApplicationCommunicator(Sys, application, scope is null ? start : scope(start));
        Assert.False(await communicator.StartAsync(Bounded.Wait));
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        return communicator.Refusal!;
    }

    [Theory]
    [InlineData("/ws/chat/lobby/", nameof(Chat))]
    [InlineData("/ws/rooms/7/", nameof(Room))]
    [InlineData("/ws/users/ada/", nameof(User))]
    public async Task ConnectAsync_TemplateRoutes_RouteToTheMatchingConsumer(string path, string expected)
    {
        var router = new UrlRouter
        {
            Routes.Path("ws/chat/{room}/", Serve<Chat>()),
            Routes.Path("ws/rooms/{id:int}/", Serve<Room>()),
            Routes.Path("ws/users/{name}/", Serve<User>()),
        };

        var served = await ConnectAsync(router, path);

        Assert.Equal(expected, served.Consumer);
    }

    [Fact]
    public async Task ConnectAsync_RegexRouteWithNamedGroup_RoutesAndCapturesAString()
    {
        var router = new UrlRouter
        {
            Routes.Regex(@"^ws/rooms/(?P<id>\d+)/$", Serve<Room>()),
            Routes.Regex(@"^ws/chat/(?<room>\w+)/$", Serve<Chat>()),
        };

        var served = await ConnectAsync(router, "/ws/chat/lobby/");

        Assert.Equal(nameof(Chat), served.Consumer);
        Assert.Equal("lobby", served.Scope.UrlRoute.Get<string>("room"));
        Assert.Empty(served.Scope.UrlRoute.Args);
    }

    [Fact]
    public async Task ConnectAsync_IntConstraint_PutsAnIntInKwargs()
    {
        var router = new UrlRouter { Routes.Path("ws/rooms/{id:int}/", Serve<Room>()) };

        var served = await ConnectAsync(router, "/ws/rooms/42/");

        var id = Assert.IsType<int>(served.Scope.UrlRoute.Kwargs["id"]);
        Assert.Equal(42, id);
        Assert.Equal(42, served.Scope.UrlRoute.Get<int>("id"));
        Assert.Equal("42", served.Scope.UrlRoute["id"]);
    }

    [Fact]
    public async Task ConnectAsync_IntConstraintNotSatisfied_IsNotRouted()
    {
        var router = new UrlRouter { Routes.Path("ws/rooms/{id:int}/", Serve<Room>()) };

        var refusal = await RefuseAsync(router, "/ws/rooms/lobby/");

        Assert.Equal(404, refusal.StatusCode);
    }

    [Theory]
    [InlineData("/ws/docs/", "1")]
    [InlineData("/ws/docs/5/", "5")]
    public async Task ConnectAsync_TemplateDefault_FillsTheAbsentValueAsAString(string path, string expected)
    {
        var router = new UrlRouter { Routes.Path("ws/docs/{page=1}/", Serve<Room>()) };

        var served = await ConnectAsync(router, path);

        Assert.Equal(expected, Assert.IsType<string>(served.Scope.UrlRoute.Kwargs["page"]));
    }

    [Fact]
    public async Task ConnectAsync_TypedTemplateDefault_IsTypedByItsConstraint()
    {
        var router = new UrlRouter { Routes.Path("ws/docs/{page:int=1}/", Serve<Room>()) };

        var served = await ConnectAsync(router, "/ws/docs/");

        Assert.Equal(1, Assert.IsType<int>(served.Scope.UrlRoute.Kwargs["page"]));
    }

    [Fact]
    public async Task ConnectAsync_RouteDefaults_AreMergedOverCapturedValues()
    {
        var defaults = new Dictionary<string, object> { ["room"] = "forced", ["readOnly"] = true };
        var router = new UrlRouter { Routes.Path("ws/chat/{room}/{mode}/", Serve<Chat>(), defaults) };

        var served = await ConnectAsync(router, "/ws/chat/lobby/edit/");

        Assert.Equal("forced", served.Scope.UrlRoute.Get<string>("room"));
        Assert.True(served.Scope.UrlRoute.Get<bool>("readOnly"));
        Assert.Equal("edit", served.Scope.UrlRoute.Get<string>("mode"));
    }

    [Fact]
    public async Task ConnectAsync_RegexRouteDefaults_AreMergedOverCapturedValues()
    {
        var defaults = new Dictionary<string, object> { ["id"] = 7 };
        var router = new UrlRouter { Routes.Regex(@"^ws/rooms/(?<id>\d+)/$", Serve<Room>(), defaults) };

        var served = await ConnectAsync(router, "/ws/rooms/42/");

        Assert.Equal(7, served.Scope.UrlRoute.Get<int>("id"));
    }

    [Fact]
    public async Task ConnectAsync_UnnamedRegexGroups_BecomePositionalArgsInOrder()
    {
        var router = new UrlRouter { Routes.Regex(@"^ws/(\w+)/(\d+)/$", Serve<Room>()) };

        var served = await ConnectAsync(router, "/ws/lobby/42/");

        Assert.Equal(new object[] { "lobby", "42" }, served.Scope.UrlRoute.Args);
        Assert.Empty(served.Scope.UrlRoute.Kwargs);
    }

    [Fact]
    public async Task ConnectAsync_NamedAndUnnamedGroups_DropsThePositionalOnes()
    {
        var router = new UrlRouter { Routes.Regex(@"^ws/(\w+)/(?<id>\d+)/$", Serve<Room>()) };

        var served = await ConnectAsync(router, "/ws/lobby/42/");

        Assert.Empty(served.Scope.UrlRoute.Args);
        Assert.Equal("42", served.Scope.UrlRoute.Get<string>("id"));
    }

    [Fact]
    public async Task ConnectAsync_SeveralRoutesMatch_TheFirstAddedWins()
    {
        var router = new UrlRouter
        {
            Routes.Path("ws/chat/admin/", Serve<User>()),
            Routes.Path("ws/chat/{room}/", Serve<Chat>()),
            Routes.Path("ws/chat/lobby/", Serve<Fallback>()),
        };

        Assert.Equal(nameof(User), (await ConnectAsync(router, "/ws/chat/admin/")).Consumer);
        Assert.Equal(nameof(Chat), (await ConnectAsync(router, "/ws/chat/lobby/")).Consumer);
    }

    [Fact]
    public async Task ConnectAsync_NestedRouter_ConsumesItsPrefixAndInnerRoutesSeeTheRest()
    {
        var router = new UrlRouter
        {
            Routes.Path("ws/admin/", new UrlRouter
            {
                Routes.Path("users/{id:int}/", Serve<User>()),
                Routes.Regex(@"^rooms/(?<room>\w+)/$", Serve<Room>()),
            }),
        };

        var user = await ConnectAsync(router, "/ws/admin/users/5/");
        var room = await ConnectAsync(router, "/ws/admin/rooms/lobby/");

        Assert.Equal((nameof(User), 5), (user.Consumer, user.Scope.UrlRoute.Get<int>("id")));
        Assert.Equal((nameof(Room), "lobby"), (room.Consumer, room.Scope.UrlRoute.Get<string>("room")));
    }

    [Fact]
    public async Task ConnectAsync_NestedRouterTemplateWithoutTrailingSlash_InnerRoutesSeeTheRestWithoutItsSlash()
    {
        // Channels strips the leading '/' of what a nested router is given, so path("ws/admin", URLRouter([path("users/<int:id>/")])) routes.
        var router = new UrlRouter
        {
            Routes.Path("ws/admin", new UrlRouter { Routes.Path("users/{id:int}/", Serve<User>()) }),
        };

        var served = await ConnectAsync(router, "/ws/admin/users/5/");

        Assert.Equal(5, served.Scope.UrlRoute.Get<int>("id"));
    }

    [Fact]
    public async Task ConnectAsync_NestedRegexPrefix_CapturesOuterValueAndInnerRoutesSeeTheRest()
    {
        var router = new UrlRouter
        {
            Routes.Regex(@"^ws/(?<tenant>\w+)", new UrlRouter { Routes.Path("chat/{room}/", Serve<Chat>()) }),
        };

        var served = await ConnectAsync(router, "/ws/acme/chat/lobby/");

        Assert.Equal("acme", served.Scope.UrlRoute.Get<string>("tenant"));
        Assert.Equal("lobby", served.Scope.UrlRoute.Get<string>("room"));
    }

    [Fact]
    public async Task ConnectAsync_NestedRouter_InnerValuesWinAndOuterValuesAreKept()
    {
        var router = new UrlRouter
        {
            Routes.Path("ws/{tenant}/{room}/", new UrlRouter { Routes.Path("rooms/{room}/", Serve<Room>()) }),
        };

        var served = await ConnectAsync(router, "/ws/acme/outer/rooms/inner/");

        Assert.Equal("inner", served.Scope.UrlRoute.Get<string>("room"));
        Assert.Equal("acme", served.Scope.UrlRoute.Get<string>("tenant"));
    }

    [Fact]
    public async Task ConnectAsync_NestedRouterWithDefaults_InnerDefaultsWinOverOuterValues()
    {
        var outerDefaults = new Dictionary<string, object> { ["level"] = "outer", ["source"] = "outer" };
        var innerDefaults = new Dictionary<string, object> { ["level"] = "inner" };
        var router = new UrlRouter
        {
            Routes.Path("ws/", new UrlRouter { Routes.Path("x/", Serve<Room>(), innerDefaults) }, outerDefaults),
        };

        var served = await ConnectAsync(router, "/ws/x/");

        Assert.Equal("inner", served.Scope.UrlRoute.Get<string>("level"));
        Assert.Equal("outer", served.Scope.UrlRoute.Get<string>("source"));
    }

    [Fact]
    public async Task ConnectAsync_NestedRegexRouters_AppendPositionalArgsOuterFirst()
    {
        var router = new UrlRouter
        {
            Routes.Regex(@"^ws/(\w+)/", new UrlRouter { Routes.Regex(@"^(\d+)/$", Serve<Room>()) }),
        };

        var served = await ConnectAsync(router, "/ws/acme/42/");

        Assert.Equal(new object[] { "acme", "42" }, served.Scope.UrlRoute.Args);
    }

    [Fact]
    public async Task ConnectAsync_NestedRouterWithNoMatch_BacktracksToTheParentsNextRoute()
    {
        var router = new UrlRouter
        {
            Routes.Path("ws/", new UrlRouter { Routes.Path("admin/", Serve<User>()) }),
            Routes.Path("ws/{*rest}", Serve<Fallback>()),
        };

        var served = await ConnectAsync(router, "/ws/chat/lobby/");

        Assert.Equal(nameof(Fallback), served.Consumer);
        Assert.Equal("chat/lobby/", served.Scope.UrlRoute.Get<string>("rest"));
    }

    [Fact]
    public async Task ConnectAsync_BacktrackedRoute_DoesNotKeepTheFailedRoutesValues()
    {
        var router = new UrlRouter
        {
            Routes.Path("ws/{tenant}/", new UrlRouter { Routes.Path("admin/", Serve<User>()) }),
            Routes.Path("ws/{room}/chat/", Serve<Chat>()),
        };

        var served = await ConnectAsync(router, "/ws/lobby/chat/");

        Assert.Equal(nameof(Chat), served.Consumer);
        Assert.Equal(new[] { "room" }, served.Scope.UrlRoute.Kwargs.Keys);
    }

    [Fact]
    public async Task ConnectAsync_UnknownPath_IsRefusedWith404()
    {
        var router = new UrlRouter { Routes.Path("ws/chat/{room}/", Serve<Chat>()) };
        await using var communicator = new WebSocketCommunicator(Sys, router, "/x/");

        var result = await communicator.ConnectAsync(Bounded.Wait);

        Assert.False(result.Accepted);
        Assert.Equal(404, result.StatusCode);
        Assert.Null(result.CloseCode);
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task StartAsync_UnknownPath_ReasonIsChannelsMessageWithoutTheLeadingSlash()
    {
        var router = new UrlRouter { Routes.Path("ws/chat/{room}/", Serve<Chat>()) };

        var refusal = await RefuseAsync(router, "/x/");

        Assert.Equal(404, refusal.StatusCode);
        Assert.Equal("No route found for path 'x/'.", refusal.Reason);
        Assert.Null(refusal.Error);
    }

    [Fact]
    public async Task StartAsync_NoMatchInNestedRouterNorAfterIt_ReasonNamesTheWholePath()
    {
        var router = new UrlRouter
        {
            Routes.Path("ws/admin/", new UrlRouter { Routes.Path("users/{id:int}/", Serve<User>()) }),
        };

        var refusal = await RefuseAsync(router, "/ws/admin/nobody/");

        Assert.Equal("No route found for path 'ws/admin/nobody/'.", refusal.Reason);
    }

    [Fact]
    public async Task ConnectAsync_RootPath_MatchesThePathBelowIt()
    {
        var router = new UrlRouter { Routes.Path("ws/chat/{room}/", Serve<Chat>()) };

        var served = await ConnectAsync(router, "/prefix/ws/chat/lobby/", s => s with { RootPath = "/prefix" });

        Assert.Equal("lobby", served.Scope.UrlRoute.Get<string>("room"));
        Assert.Equal("/prefix/ws/chat/lobby/", served.Scope.Path);
        Assert.Equal("/prefix", served.Scope.RootPath);
    }

    [Fact]
    public async Task ConnectAsync_RootPathWithTrailingSlash_MatchesThePathBelowIt()
    {
        var router = new UrlRouter { Routes.Path("ws/chat/{room}/", Serve<Chat>()) };

        var served = await ConnectAsync(router, "/prefix/ws/chat/lobby/", s => s with { RootPath = "/prefix/" });

        Assert.Equal("lobby", served.Scope.UrlRoute.Get<string>("room"));
    }

    [Theory]
    [InlineData("/ws/chat/lobby/")]
    [InlineData("/other/ws/chat/lobby/")]
    [InlineData("/prefixed/ws/chat/lobby/")]
    public async Task ConnectAsync_PathNotUnderTheRootPath_IsRefusedWith404(string path)
    {
        var router = new UrlRouter { Routes.Path("{*any}", Serve<Chat>()) };
        await using var communicator = new WebSocketCommunicator(Sys, router, path);
        communicator.Scope = communicator.Scope with { RootPath = "/prefix" };

        var result = await communicator.ConnectAsync(Bounded.Wait);

        Assert.Equal((false, 404), (result.Accepted, result.StatusCode));
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task ConnectAsync_PercentEncodedPath_IsMatchedDecoded()
    {
        var router = new UrlRouter
        {
            Routes.Path("ws/chat/caf\u00e9/{room}/", Serve<Chat>()),
        };

        var served = await ConnectAsync(router, "/ws/chat/caf%C3%A9/salle%20un/");

        Assert.Equal("salle un", served.Scope.UrlRoute.Get<string>("room"));
        Assert.Equal("/ws/chat/caf%C3%A9/salle%20un/", served.Scope.RawPath);
    }

    [Fact]
    public async Task ConnectAsync_NestedRouters_NeverChangeScopePathRootPathOrRawPath()
    {
        var router = new UrlRouter
        {
            Routes.Path("ws/", new UrlRouter { Routes.Path("admin/", new UrlRouter { Routes.Path("users/{id:int}/", Serve<User>()) }) }),
        };

        var served = await ConnectAsync(router, "/app/ws/admin/users/5/", s => s with { RootPath = "/app" });

        Assert.Equal("/app/ws/admin/users/5/", served.Scope.Path);
        Assert.Equal("/app/ws/admin/users/5/", served.Scope.RawPath);
        Assert.Equal("/app", served.Scope.RootPath);
    }

    [Fact]
    public async Task ConnectAsync_EndpointRoute_LeavesAnEmptyPathRemaining()
    {
        var router = new UrlRouter { Routes.Path("ws/", new UrlRouter { Routes.Path("chat/{room}/", Serve<Chat>()) }) };

        var served = await ConnectAsync(router, "/ws/chat/lobby/");

        Assert.Equal("", served.Scope.PathRemaining);
    }

    [Fact]
    public async Task ConnectAsync_NestedRouter_IsGivenThePathAfterItsPrefix()
    {
        var router = new UrlRouter
        {
            Routes.Path("ws/tenants/{tenant}/", new UrlRouter { Routes.Regex("^(?<seen>.*)$", Serve<Room>()) }),
        };

        var served = await ConnectAsync(router, "/ws/tenants/acme/rooms/lobby/");

        Assert.Equal("rooms/lobby/", served.Scope.UrlRoute.Get<string>("seen"));
    }

    [Fact]
    public async Task ConnectAsync_ScopeWithPathRemaining_RoutesOnItInsteadOfThePath()
    {
        var router = new UrlRouter { Routes.Path("rooms/{room}/", Serve<Room>()) };

        var served = await ConnectAsync(router, "/somewhere/else/", s => s with { RootPath = "/not-a-prefix", PathRemaining = "rooms/lobby/" });

        Assert.Equal("lobby", served.Scope.UrlRoute.Get<string>("room"));
        Assert.Equal("/somewhere/else/", served.Scope.Path);
    }

    [Fact]
    public async Task ConnectAsync_RootPathAndEmptyTemplate_RoutesTheRoot()
    {
        var router = new UrlRouter { Routes.Path("", Serve<Fallback>()) };

        Assert.Equal(nameof(Fallback), (await ConnectAsync(router, "/")).Consumer);
        Assert.Equal(nameof(Fallback), (await ConnectAsync(router, "/app/", s => s with { RootPath = "/app" })).Consumer);
    }

    [Fact]
    public void Add_NullRoute_Throws()
    {
        var router = new UrlRouter();

        Assert.Throws<ArgumentNullException>(() => router.Add(null!));
        Assert.Throws<ArgumentNullException>(() => Routes.Path("ws/", null!));
        Assert.Throws<ArgumentNullException>(() => Routes.Regex("^ws/", null!));
    }

    [Fact]
    public void IsPrefix_IsTrueOnlyForARouteToANestedRouter()
    {
        Assert.True(Routes.Path("ws/", new UrlRouter()).IsPrefix);
        Assert.False(Routes.Path("ws/", Serve<Chat>()).IsPrefix);
    }
}
