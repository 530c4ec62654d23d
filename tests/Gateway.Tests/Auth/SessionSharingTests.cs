namespace Switchboard.Gateway.Tests.Auth;

/// <summary>
/// One ASP.NET Core session for HTTP requests (<c>UseSession</c>) and WebSocket consumers (<c>SessionMiddleware</c>): the
/// cookie is the same, the distributed cache is the same, and so is the format.
/// </summary>
public sealed class SessionSharingTests(GatewayAuthServer server) : IClassFixture<GatewayAuthServer>
{
    private Uri Ws => server.WebSocketBaseAddress;

    [Fact]
    public async Task Session_WrittenByAnHttpRequest_IsReadByTheConsumer()
    {
        using var browser = new Browser(server.HttpBaseAddress);
        await browser.SetSessionAsync("color", "blue");

        await using var client = await browser.ConnectAsync(Ws, "ws/session/");

        Assert.Equal("blue", await SayAsync(client, "get color"));
        Assert.Equal(await browser.GetSessionIdAsync(), await SayAsync(client, "id"));
    }

    [Fact]
    public async Task Session_SavedByTheConsumer_IsSeenByTheNextHttpRequest()
    {
        using var browser = new Browser(server.HttpBaseAddress);
        await browser.SetSessionAsync("color", "blue");
        await using var client = await browser.ConnectAsync(Ws, "ws/session/");

        Assert.Equal("saved", await SayAsync(client, "set color green"));
        Assert.Equal("saved", await SayAsync(client, "set café crème ☕"));

        Assert.Equal("green", await browser.GetSessionAsync("color"));
        Assert.Equal("crème ☕", await browser.GetSessionAsync("café"));
    }

    [Fact]
    public async Task Session_HttpWritesAnotherKeyWhileTheSocketIsOpen_TheConsumersSaveKeepsItAndThenSeesIt()
    {
        using var browser = new Browser(server.HttpBaseAddress);
        await browser.SetSessionAsync("color", "blue");
        await using var client = await browser.ConnectAsync(Ws, "ws/session/");
        Assert.Equal("(none)", await SayAsync(client, "get cart"));

        await browser.SetSessionAsync("cart", "3 items");
        Assert.Equal("saved", await SayAsync(client, "set color green"));

        Assert.Equal("3 items", await browser.GetSessionAsync("cart"));
        Assert.Equal("green", await browser.GetSessionAsync("color"));
        Assert.Equal("3 items", await SayAsync(client, "get cart"));
    }

    [Fact]
    public async Task Session_NoSessionCookie_TheConsumerGetsAnEmptySession()
    {
        using var browser = new Browser(server.HttpBaseAddress);
        await using var client = await browser.ConnectAsync(Ws, "ws/session/");

        Assert.Equal("(none)", await SayAsync(client, "get color"));
        Assert.Equal("saved", await SayAsync(client, "set color red"));
    }

    [Fact]
    public async Task Session_KeysRemoveAndClearByTheConsumer_AreWhatTheNextHttpRequestSees()
    {
        using var browser = new Browser(server.HttpBaseAddress);
        await browser.SetSessionAsync("color", "blue");
        await browser.SetSessionAsync("cart", "3 items");
        await using var client = await browser.ConnectAsync(Ws, "ws/session/");

        Assert.Equal("cart,color", await SayAsync(client, "keys"));
        Assert.Equal("saved", await SayAsync(client, "remove cart"));
        Assert.Equal("color", await SayAsync(client, "keys"));
        Assert.Equal("(none)", await browser.GetSessionAsync("cart"));
        Assert.Equal("blue", await browser.GetSessionAsync("color"));

        Assert.Equal("saved", await SayAsync(client, "clear"));
        Assert.Equal("", await SayAsync(client, "keys"));
        Assert.Equal("(none)", await browser.GetSessionAsync("color"));
    }

    [Fact]
    public async Task Session_NoSessionCookie_HasNoKeysAndRemoveOrClearSaveNothing()
    {
        using var browser = new Browser(server.HttpBaseAddress);
        await using var client = await browser.ConnectAsync(Ws, "ws/session/");

        Assert.Equal("", await SayAsync(client, "keys"));
        Assert.Equal("saved", await SayAsync(client, "remove color"));
        Assert.Equal("saved", await SayAsync(client, "clear"));
        Assert.Equal("(none)", await SayAsync(client, "get color"));
        Assert.False(string.IsNullOrEmpty(await SayAsync(client, "id")));
    }

    [Fact]
    public async Task Session_ForgedSessionCookie_TheConsumerGetsANewEmptySession()
    {
        using var browser = new Browser(server.HttpBaseAddress);
        browser.Cookies.Add(server.HttpBaseAddress, new System.Net.Cookie(".AspNetCore.Session", "Q2ZESjhGb3JnZWQ"));

        await using var client = await browser.ConnectAsync(Ws, "ws/session/");

        Assert.Equal("(none)", await SayAsync(client, "get color"));
    }

    [Fact]
    public async Task Login_ByAConsumer_TheNextConnectionWithTheSameSessionIsThatUser()
    {
        using var browser = new Browser(server.HttpBaseAddress);
        await browser.SetSessionAsync("visits", "1");
        await using (var first = await browser.ConnectAsync(Ws, "ws/session/"))
        {
            Assert.Equal("anonymous", await SayAsync(first, "whoami"));
            Assert.Equal("saved", await SayAsync(first, "login linus"));
            Assert.Equal("linus", await SayAsync(first, "whoami"));
        }

        await using var second = await browser.ConnectAsync(Ws, "ws/whoami/");
        Assert.Equal(new WhoAmI("linus", "chat", false, false), await Browser.WhoAmIAsync(second));
        Assert.Equal("1", await browser.GetSessionAsync("visits"));
    }

    private static async Task<string?> SayAsync(Support.WebSocketClient client, string text)
    {
        await client.SendTextAsync(text);
        return await client.ReceiveTextAsync();
    }
}
