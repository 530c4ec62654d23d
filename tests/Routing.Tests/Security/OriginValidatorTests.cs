using Akka.Actor;
using Switchboard.Actors;
using Switchboard.Routing.Security;
using Switchboard.Testing;

namespace Switchboard.Routing.Tests.Security;

public sealed class OriginValidatorTests : Akka.TestKit.Xunit2.TestKit
{
    public sealed class Chat(IActorRef probe) : ReportingConsumer(probe);

    private IApplication Chats() => Consumer.Of<Chat>(TestActor);

    private WebSocketCommunicator Communicator(IApplication application, string? origin, AllowedHosts? hosts = null)
    {
        var communicator = new WebSocketCommunicator(Sys, application, "/ws/chat/", origin is null ? null : [new("Origin", origin)]);
        if (hosts is not null)
        {
            communicator.Scope = communicator.Scope with { Extensions = communicator.Scope.Extensions.With(hosts) };
        }

        return communicator;
    }

    private async Task<ConnectResult> ConnectAsync(IApplication application, string? origin, AllowedHosts? hosts = null)
    {
        await using var communicator = Communicator(application, origin, hosts);
        return await communicator.ConnectAsync(Bounded.Wait);
    }

    [Fact]
    public async Task ConnectAsync_ForeignOrigin_IsRefusedWith403BeforeTheConsumerStarts()
    {
        var validator = new OriginValidator(Chats(), ["https://example.com"]);

        var result = await ConnectAsync(validator, "https://evil.example");

        Assert.Equal((false, 403, (int?)null), (result.Accepted, result.StatusCode, result.CloseCode));
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task StartAsync_ForeignOrigin_ReasonNamesTheOrigin()
    {
        var scope = ConnectionScope.ForWebSocket("/ws/") with { Headers = [new("origin", "https://evil.example")] };
        await using var communicator = new ApplicationCommunicator(Sys, new OriginValidator(Chats(), ["example.com"]), scope);

        Assert.False(await communicator.StartAsync(Bounded.Wait));

        Assert.Equal(new ConnectionRefused(403, "Origin 'https://evil.example' is not allowed.", null), communicator.Refusal);
    }

    [Theory]
    [InlineData("https://example.com", "https://example.com")]
    [InlineData("https://example.com:443", "https://example.com")]
    [InlineData("http://example.com:8080", "example.com")]
    [InlineData("https://chat.example.com", ".example.com")]
    [InlineData("http://localhost:8000", "localhost:8000")]
    public async Task ConnectAsync_MatchingOrigin_IsAccepted(string origin, string allowed)
    {
        var validator = new OriginValidator(Chats(), ["https://other.example", allowed]);

        var result = await ConnectAsync(validator, origin);

        Assert.True(result.Accepted);
        ExpectMsg<Served>(Bounded.Wait);
    }

    [Theory]
    [InlineData("http://example.com", "https://example.com")]
    [InlineData("https://example.com:8443", "https://example.com")]
    [InlineData("https://notexample.com", ".example.com")]
    [InlineData("https://chat.example.com", "*.example.com")]
    public async Task ConnectAsync_NearMissOrigin_IsRefusedWith403(string origin, string allowed)
    {
        var result = await ConnectAsync(new OriginValidator(Chats(), [allowed]), origin);

        Assert.Equal((false, 403), (result.Accepted, result.StatusCode));
    }

    [Fact]
    public async Task ConnectAsync_MissingOrigin_IsRefusedUnlessStarIsAllowed()
    {
        var strict = await ConnectAsync(new OriginValidator(Chats(), ["example.com"]), origin: null);
        var star = await ConnectAsync(new OriginValidator(Chats(), ["*"]), origin: null);

        Assert.Equal((false, 403), (strict.Accepted, strict.StatusCode));
        Assert.True(star.Accepted);
    }

    [Fact]
    public async Task StartAsync_MissingOrigin_ReasonSaysThereIsNoOriginHeader()
    {
        await using var communicator = new ApplicationCommunicator(Sys, new OriginValidator(Chats(), ["example.com"]), ConnectionScope.ForWebSocket("/ws/"));

        Assert.False(await communicator.StartAsync(Bounded.Wait));

        Assert.Contains("no Origin header", communicator.Refusal!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_ValidatorAroundRouter_RefusesBeforeRoutingAndRoutesWhenAllowed()
    {
        var application = new OriginValidator(new UrlRouter { Routes.Path("ws/chat/", Chats()) }, ["example.com"]);

        var refused = await ConnectAsync(application, "https://evil.example");
        var allowed = await ConnectAsync(application, "https://example.com");

        Assert.Equal(403, refused.StatusCode);
        Assert.True(allowed.Accepted);
    }

    [Theory]
    [InlineData("https://example.com", true)]
    [InlineData("https://api.example.com", true)]
    [InlineData("http://localhost", false)]
    [InlineData("https://evil.example", false)]
    public async Task AllowedHosts_HostsInScopeExtensions_DecideTheOrigin(string origin, bool expected)
    {
        var validator = OriginValidator.AllowedHosts(Chats());

        var result = await ConnectAsync(validator, origin, new AllowedHosts([".example.com"]));

        Assert.Equal(expected, result.Accepted);
        Assert.Equal(expected ? null : 403, result.StatusCode);
    }

    [Theory]
    [InlineData("http://localhost:8000", true)]
    [InlineData("https://127.0.0.1", true)]
    [InlineData("http://[::1]:5000", true)]
    [InlineData("https://example.com", false)]
    [InlineData("http://localhost.evil.example", false)]
    public async Task AllowedHosts_NoHostsInScope_FallsBackToLocalOnly(string origin, bool expected)
    {
        var result = await ConnectAsync(OriginValidator.AllowedHosts(Chats()), origin);

        Assert.Equal(expected, result.Accepted);
    }

    [Fact]
    public async Task AllowedHosts_NoHostsInScope_ReasonSaysAllowedHostsIsNotConfigured()
    {
        var scope = ConnectionScope.ForWebSocket("/ws/") with { Headers = [new("origin", "https://app.example")] };
        await using var communicator = new ApplicationCommunicator(Sys, OriginValidator.AllowedHosts(Chats()), scope);

        Assert.False(await communicator.StartAsync(Bounded.Wait));

        Assert.Equal(403, communicator.Refusal!.StatusCode);
        Assert.StartsWith("Origin 'https://app.example' is not allowed. AllowedHosts is not configured", communicator.Refusal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllowedHosts_HostsInScope_ReasonIsTheOriginAlone()
    {
        var scope = ConnectionScope.ForWebSocket("/ws/") with { Headers = [new("origin", "https://evil.example")] };
        scope = scope with { Extensions = scope.Extensions.With(new AllowedHosts(["app.example"])) };
        await using var communicator = new ApplicationCommunicator(Sys, OriginValidator.AllowedHosts(Chats()), scope);

        Assert.False(await communicator.StartAsync(Bounded.Wait));

        Assert.Equal(new ConnectionRefused(403, "Origin 'https://evil.example' is not allowed.", null), communicator.Refusal);
    }

    [Fact]
    public async Task AllowedHosts_OneValidator_ReadsTheHostsOfEachConnection()
    {
        var validator = OriginValidator.AllowedHosts(Chats());

        var first = await ConnectAsync(validator, "https://a.example", new AllowedHosts(["a.example"]));
        var second = await ConnectAsync(validator, "https://a.example", new AllowedHosts(["b.example"]));

        Assert.True(first.Accepted);
        Assert.Equal(403, second.StatusCode);
    }

    [Fact]
    public void LocalOnly_IsTheLocalMachineAsInChannelsDebugMode() =>
        Assert.Equal(["localhost", "127.0.0.1", "[::1]"], AllowedHosts.LocalOnly.Hosts);
}
