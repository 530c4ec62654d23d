namespace Switchboard.Actors.Tests;

public sealed class ConnectionScopeTests
{
    [Fact]
    public void ToString_ScopeWithCredentials_NeverPrintsQueryHeaderOrCookieValues()
    {
        var scope = ScopeParsing.FromTarget(ScopeTypes.WebSocket, "/ws/chat/lobby/?access_token=secret-token",
            [new("Cookie", "sessionid=secret-cookie"), new("Authorization", "Bearer secret-bearer")]);

        var printed = scope.ToString();

        Assert.Contains("Path = /ws/chat/lobby/", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", printed, StringComparison.Ordinal);
    }

    [Fact]
    public void FromTarget_PathQueryAndHeaders_AreParsedAsTheGatewayDoes()
    {
        var scope = ScopeParsing.FromTarget(ScopeTypes.WebSocket, "/ws/caf%C3%A9/?a=1%202#frag",
            [new("Cookie", "a=1; b=\"2\""), new("Sec-WebSocket-Protocol", "v2, v1")]);

        Assert.Equal("/ws/café/", scope.Path);
        Assert.Equal("/ws/caf%C3%A9/", scope.RawPath);
        Assert.Equal("a=1%202", scope.QueryString);
        Assert.Equal("1", scope.Cookies["a"]);
        Assert.Equal("2", scope.Cookies["b"]);
        Assert.Equal(["v2", "v1"], scope.Subprotocols.ToArray());
        Assert.Equal("sec-websocket-protocol", scope.Headers[1].Key);
    }
}
