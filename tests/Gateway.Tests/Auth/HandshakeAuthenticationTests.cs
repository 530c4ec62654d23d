using Microsoft.Extensions.Logging;
using Switchboard.Gateway.Tests.Support;

namespace Switchboard.Gateway.Tests.Auth;

/// <summary>
/// ASP.NET Core authentication reaches WebSocket consumers through <c>AuthMiddleware</c>: the cookie of a real HTTP sign-in
/// sent on the handshake, a bearer token in the Authorization header or (as browsers must) in <c>?access_token=</c>; and
/// <c>RequireAuthorization</c> answers the handshake with 403. Run against two hosts: one where the gateway authenticates
/// by itself, one where <c>UseAuthentication()</c> ran before it (and so had already authenticated without the query token).
/// </summary>
public abstract class HandshakeAuthenticationTests<TServer>(TServer server) where TServer : AuthServer
{
    private Uri Ws => server.WebSocketBaseAddress;

    [Fact]
    public async Task Handshake_CookieFromARealHttpSignIn_TheConsumerSeesThatUser()
    {
        using var browser = new Browser(server.HttpBaseAddress);
        await browser.LoginAsync("ada");

        await using var client = await browser.ConnectAsync(Ws, "ws/whoami/");

        Assert.Equal(new WhoAmI("ada", "Cookies", false, false), await Browser.WhoAmIAsync(client));
    }

    [Fact]
    public async Task Handshake_NoCredentials_AnonymousThroughAuthMiddlewareAndRefusedWith403WhereAUserIsRequired()
    {
        using var browser = new Browser(server.HttpBaseAddress);

        await using (var client = await browser.ConnectAsync(Ws, "ws/whoami/"))
        {
            Assert.Equal(new WhoAmI(null, null, false, false), await Browser.WhoAmIAsync(client));
        }

        Assert.Equal(403, await browser.HandshakeStatusAsync(Ws, "ws/private/"));
    }

    [Fact]
    public async Task Handshake_SignedInThenSignedOut_PrivateRouteGoesFrom101To403()
    {
        using var browser = new Browser(server.HttpBaseAddress);
        await browser.LoginAsync("ada");
        Assert.Equal(101, await browser.HandshakeStatusAsync(Ws, "ws/private/"));

        await browser.LogoutAsync();

        Assert.Equal(403, await browser.HandshakeStatusAsync(Ws, "ws/private/"));
    }

    [Fact]
    public async Task Handshake_BearerTokenInTheAuthorizationHeader_TheConsumerSeesThatUser()
    {
        await using var client = await WebSocketClient.ConnectAsync(Ws, "ws/private/",
            o => o.SetRequestHeader("Authorization", $"Bearer {AuthServer.BearerPrefix}bob"));

        Assert.Equal(new WhoAmI("bob", "Bearer", true, false), await Browser.WhoAmIAsync(client));
    }

    [Fact]
    public async Task Handshake_BearerTokenInTheQueryString_TheConsumerSeesThatUserAndNoAuthorizationHeader()
    {
        await using var client = await WebSocketClient.ConnectAsync(Ws, $"ws/private/?access_token={AuthServer.BearerPrefix}carol");

        Assert.Equal(new WhoAmI("carol", "Bearer", false, false), await Browser.WhoAmIAsync(client));
    }

    [Fact]
    public async Task Handshake_InvalidBearerTokenInTheQueryString_IsRefusedWith403()
    {
        Assert.Equal(403, await WebSocketClient.HandshakeStatusAsync(Ws, "ws/private/?access_token=forged"));
    }

    [Fact]
    public async Task Handshake_AuthorizationHeaderAndAQueryToken_TheHeaderWins()
    {
        await using var client = await WebSocketClient.ConnectAsync(Ws, $"ws/whoami/?access_token={AuthServer.BearerPrefix}mallory",
            o => o.SetRequestHeader("Authorization", $"Bearer {AuthServer.BearerPrefix}dave"));

        Assert.Equal("dave", (await Browser.WhoAmIAsync(client)).User);
    }

    [Fact]
    public async Task Handshake_TwoAccessTokens_NeitherIsUsed()
    {
        var path = $"ws/whoami/?access_token={AuthServer.BearerPrefix}a&access_token={AuthServer.BearerPrefix}b";
        await using var client = await WebSocketClient.ConnectAsync(Ws, path);

        Assert.Null((await Browser.WhoAmIAsync(client)).User);
    }

    [Fact]
    public async Task Handshake_AuthMiddlewareWithoutSessions_AuthenticatesFromTheHandshake()
    {
        await using var client = await WebSocketClient.ConnectAsync(Ws, $"ws/auth-only/?access_token={AuthServer.BearerPrefix}erin");

        Assert.Equal("erin", (await Browser.WhoAmIAsync(client)).User);
    }

    [Fact]
    public async Task Handshake_Policy_RefusedWith403UnlessTheUserSatisfiesIt()
    {
        using var user = new Browser(server.HttpBaseAddress);
        await user.LoginAsync("bob");
        using var admin = new Browser(server.HttpBaseAddress);
        await admin.LoginAsync("ada", role: "admin");

        Assert.Equal(403, await WebSocketClient.HandshakeStatusAsync(Ws, "ws/admin/"));
        Assert.Equal(403, await user.HandshakeStatusAsync(Ws, "ws/admin/"));
        await using var client = await admin.ConnectAsync(Ws, "ws/admin/");
        Assert.Equal(new WhoAmI("ada", "Cookies", false, true), await Browser.WhoAmIAsync(client));
    }

    [Fact]
    public async Task Handshake_QueryToken_IsNeverInSwitchboardsOrTheAuthenticationLogs()
    {
        const string secret = "s3cr3t-7f1c9a";
        await using (var client = await WebSocketClient.ConnectAsync(Ws, $"ws/private/?access_token={AuthServer.BearerPrefix}{secret}"))
        {
            await Browser.WhoAmIAsync(client);
        }

        Assert.Equal(403, await WebSocketClient.HandshakeStatusAsync(Ws, $"ws/private/?access_token=forged-{secret}"));

        // ASP.NET Core's own request log (Hosting.Diagnostics, "Request starting ...") prints the URL with its query string:
        // docs/middleware.md says to keep that category at Warning in production, as for SignalR.
        var leaks = server.Logs.Lines
            .Where(line => line.Category != "Microsoft.AspNetCore.Hosting.Diagnostics" && line.Text.Contains(secret, StringComparison.Ordinal))
            .ToList();
        Assert.Empty(leaks);
        Assert.Contains(server.Logs.Lines, line => line.Category.StartsWith("Switchboard", StringComparison.Ordinal) && line.Level >= LogLevel.Information);
    }
}

public sealed class GatewayAuthenticationTests(GatewayAuthServer server)
    : HandshakeAuthenticationTests<GatewayAuthServer>(server), IClassFixture<GatewayAuthServer>;

public sealed class PipelineAuthenticationTests(PipelineAuthServer server)
    : HandshakeAuthenticationTests<PipelineAuthServer>(server), IClassFixture<PipelineAuthServer>;
