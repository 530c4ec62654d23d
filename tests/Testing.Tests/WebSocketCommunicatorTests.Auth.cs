using System.Security.Claims;
using Switchboard.Actors;
using Switchboard.Actors.Consumers;

namespace Switchboard.Testing.Tests;

/// <summary>WithUser, WithSession and Scope: the consumer sees a logged-in user and a session without any real login.</summary>
public sealed partial class WebSocketCommunicatorTests
{
    [Fact]
    public async Task WithUser_Name_ConsumerSeesAnAuthenticatedUserOfThatName()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<WhoAmIConsumer>(), "/ws/").WithUser("ada");
        await communicator.ConnectAsync(Wait);

        var me = await communicator.ReceiveJsonFromAsync<WhoAmI>(Wait);

        Assert.Equal(new WhoAmI("ada", true, false), me);
    }

    [Fact]
    public async Task WithUser_NameAndClaims_ConsumerSeesTheClaims()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<WhoAmIConsumer>(), "/ws/")
            .WithUser("ada", new Claim(ClaimTypes.Role, "admin"));
        await communicator.ConnectAsync(Wait);

        Assert.Equal(new WhoAmI("ada", true, true), await communicator.ReceiveJsonFromAsync<WhoAmI>(Wait));
    }

    [Fact]
    public async Task WithUser_Principal_ConsumerSeesThatPrincipal()
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "grace"), new Claim(ClaimTypes.Role, "admin")], "Cookies"));
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<WhoAmIConsumer>(), "/ws/").WithUser(principal);
        await communicator.ConnectAsync(Wait);

        Assert.Equal(new WhoAmI("grace", true, true), await communicator.ReceiveJsonFromAsync<WhoAmI>(Wait));
    }

    [Fact]
    public async Task NoUser_ConsumerSeesAnAnonymousUser()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<WhoAmIConsumer>(), "/ws/");
        await communicator.ConnectAsync(Wait);

        Assert.Equal(new WhoAmI(null, false, false), await communicator.ReceiveJsonFromAsync<WhoAmI>(Wait));
    }

    [Fact]
    public async Task WithSession_ConsumerSaves_TheSavedValuesAreVisibleInTheTestSession()
    {
        var session = new TestSession([new("visits", "2")]);
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<SessionConsumer>(), "/ws/").WithSession(session);
        await communicator.ConnectAsync(Wait);

        Assert.Equal("3", (await communicator.ReceiveFromAsync(Wait)).Text);
        Assert.Equal("3", session.Saved["visits"]);
        Assert.Equal(1, session.SaveCount);
    }

    [Fact]
    public async Task WithSession_ChangesNotSaved_AreInTheSessionButNotInSaved()
    {
        var session = new TestSession();
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<SessionConsumer>(), "/ws/").WithSession(session);
        await communicator.ConnectAsync(Wait);
        await communicator.ReceiveFromAsync(Wait);

        await communicator.SendToAsync("a draft");
        Assert.Equal("ok", (await communicator.ReceiveFromAsync(Wait)).Text);

        Assert.Equal("a draft", session.Get("draft"));
        Assert.False(session.Saved.ContainsKey("draft"));
        Assert.Equal(1, session.SaveCount);
    }

    [Fact]
    public async Task Scope_ReplacedBeforeConnect_IsTheScopeTheConsumerSees()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<WhoAmIConsumer>(), "/ws/");
        communicator.Scope = communicator.Scope with { User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "bot")], "ApiKey")) };
        await communicator.ConnectAsync(Wait);

        Assert.Equal(new WhoAmI("bot", true, false), await communicator.ReceiveJsonFromAsync<WhoAmI>(Wait));
    }

    [Fact]
    public async Task Scope_AfterConnect_CannotBeReplaced()
    {
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<WhoAmIConsumer>(), "/ws/");
        await communicator.ConnectAsync(Wait);
        var scope = communicator.Scope;

        var error = Assert.Throws<InvalidOperationException>(() => communicator.Scope = scope with { QueryString = "late=1" });
        Assert.Throws<InvalidOperationException>(() => communicator.WithUser("ada"));
        Assert.Throws<InvalidOperationException>(() => communicator.WithSession(new TestSession()));

        Assert.Equal("The scope is fixed once the communicator has connected.", error.Message);
        Assert.Same(scope, communicator.Scope);
    }

    public sealed record WhoAmI(string? Name, bool Authenticated, bool Admin);

    /// <summary>Accepts and tells the client who it is.</summary>
    public sealed class WhoAmIConsumer : JsonWebSocketConsumer
    {
        protected override async Task OnConnectAsync()
        {
            await AcceptAsync();
            var user = Scope.User;
            await SendJsonAsync(new WhoAmI(user.Identity?.Name, user.Identity?.IsAuthenticated == true, user.IsInRole("admin")));
        }
    }

    /// <summary>Counts visits in the session and saves them; a frame is kept in the session as an unsaved draft.</summary>
    public sealed class SessionConsumer : WebSocketConsumer
    {
        protected override async Task OnConnectAsync()
        {
            var session = Scope.Session!;
            var visits = int.Parse(session.Get("visits") ?? "0", System.Globalization.CultureInfo.InvariantCulture) + 1;
            session.Set("visits", visits.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await session.SaveAsync();
            await AcceptAsync();
            await SendAsync(visits.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        protected override Task OnReceiveAsync(string? text, byte[]? bytes)
        {
            Scope.Session!.Set("draft", text!);
            return SendAsync("ok");
        }
    }
}
