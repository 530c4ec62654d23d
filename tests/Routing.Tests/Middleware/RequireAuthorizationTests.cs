using Akka.Actor;
using Switchboard.Actors;
using Switchboard.Routing.Middleware;
using Switchboard.Testing;

namespace Switchboard.Routing.Tests.Middleware;

public sealed class RequireAuthorizationTests : Akka.TestKit.Xunit2.TestKit
{
    public sealed class Chat(IActorRef probe) : ReportingConsumer(probe);

    public sealed class Open(IActorRef probe) : ReportingConsumer(probe);

    [Fact]
    public async Task ConnectAsync_AnonymousUser_IsRefusedWith403AndNoConsumerStarts()
    {
        await using var communicator = new WebSocketCommunicator(Sys, RequireAuthorization.Wrap(Consumer.Of<Chat>(TestActor)), "/ws/");

        var result = await communicator.ConnectAsync(Bounded.Wait);

        Assert.False(result.Accepted);
        Assert.Equal(403, result.StatusCode);
        Assert.Equal("The connection needs an authenticated user.", communicator.Refusal!.Reason);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task ConnectAsync_AuthenticatedUser_IsServed()
    {
        await using var communicator = new WebSocketCommunicator(Sys, RequireAuthorization.Wrap(Consumer.Of<Chat>(TestActor)), "/ws/").WithUser("ada");

        Assert.True((await communicator.ConnectAsync(Bounded.Wait)).Accepted);
        Assert.Equal("ada", Users.NameOf(ExpectMsg<Served>(Bounded.Wait).Scope));
    }

    [Fact]
    public async Task ConnectAsync_InsideAuthMiddleware_TheAuthenticatedUserFromTheHandshakeIsServed()
    {
        var application = new AuthMiddleware(RequireAuthorization.Wrap(Consumer.Of<Chat>(TestActor)), new FakeAuthenticator());
        await using var signedIn = new WebSocketCommunicator(Sys, application, "/ws/", [new("authorization", "Token ada")]);
        await using var anonymous = new WebSocketCommunicator(Sys, application, "/ws/");

        Assert.True((await signedIn.ConnectAsync(Bounded.Wait)).Accepted);
        Assert.Equal(403, (await anonymous.ConnectAsync(Bounded.Wait)).StatusCode);
    }

    [Fact]
    public async Task ConnectAsync_Policy_ServedOnlyWhenTheAuthorizerSaysSo()
    {
        var authorizer = new FakeAuthorizer(new() { ["admins"] = user => user.IsInRole("admin") });
        var application = RequireAuthorization.Wrap(Consumer.Of<Chat>(TestActor), "admins", authorizer);
        await using var admin = new WebSocketCommunicator(Sys, application, "/ws/").WithUser("ada", new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Role, "admin"));
        await using var user = new WebSocketCommunicator(Sys, application, "/ws/").WithUser("bob");

        Assert.True((await admin.ConnectAsync(Bounded.Wait)).Accepted);
        Assert.Equal(403, (await user.ConnectAsync(Bounded.Wait)).StatusCode);
        Assert.Equal("The user does not satisfy the authorization policy 'admins'.", user.Refusal!.Reason);
        Assert.All(authorizer.Evaluated, e => Assert.Equal("/ws/", e.Scope.Path));
    }

    [Fact]
    public async Task ConnectAsync_PolicyWithTheAuthorizerAttachedToTheScope_UsesIt()
    {
        var authorizer = new FakeAuthorizer(new() { ["nobody"] = _ => false });
        await using var communicator = new WebSocketCommunicator(Sys, RequireAuthorization.Wrap(Consumer.Of<Chat>(TestActor), "nobody"), "/ws/").WithUser("ada");
        communicator.Scope = communicator.Scope with { Extensions = communicator.Scope.Extensions.With<IConnectionAuthorizer>(authorizer) };

        Assert.Equal(403, (await communicator.ConnectAsync(Bounded.Wait)).StatusCode);
        Assert.Single(authorizer.Evaluated);
    }

    [Fact]
    public async Task ConnectAsync_PolicyAndNoAuthorizer_FailsAtResolve()
    {
        await using var communicator = new WebSocketCommunicator(Sys, RequireAuthorization.Wrap(Consumer.Of<Chat>(TestActor), "admins"), "/ws/").WithUser("ada");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => communicator.ConnectAsync(Bounded.Wait));

        Assert.Contains("'admins'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_RequiredOnOneRouteOnly_OtherRoutesStayOpenAndTheGuardedRouterStillMatchesAPrefix()
    {
        var router = new UrlRouter
        {
            Routes.Path("ws/private/", RequireAuthorization.Wrap(new UrlRouter { Routes.Path("{room}/", Consumer.Of<Chat>(TestActor)) })),
            Routes.Path("ws/{room}/", Consumer.Of<Open>(TestActor)),
        };
        await using var anonymousPrivate = new WebSocketCommunicator(Sys, router, "/ws/private/lobby/");
        await using var signedInPrivate = new WebSocketCommunicator(Sys, router, "/ws/private/lobby/").WithUser("ada");
        await using var anonymousOpen = new WebSocketCommunicator(Sys, router, "/ws/lobby/");

        Assert.Equal(403, (await anonymousPrivate.ConnectAsync(Bounded.Wait)).StatusCode);
        Assert.True((await signedInPrivate.ConnectAsync(Bounded.Wait)).Accepted);
        Assert.Equal(nameof(Chat), ExpectMsg<Served>(Bounded.Wait).Consumer);
        Assert.True((await anonymousOpen.ConnectAsync(Bounded.Wait)).Accepted);
        Assert.Equal(nameof(Open), ExpectMsg<Served>(Bounded.Wait).Consumer);
    }

    [Fact]
    public void Wrap_BlankPolicy_Throws()
    {
        Assert.Throws<ArgumentException>(() => RequireAuthorization.Wrap(Consumer.Of<Chat>(TestActor), " "));
    }
}
