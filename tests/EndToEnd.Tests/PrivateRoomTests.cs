using System.Net;

namespace Switchboard.EndToEnd.Tests;

/// <summary>
/// The chat sample's private rooms: <c>private-...</c> needs a signed-in user (ASP.NET Core cookie authentication through
/// <c>AuthMiddlewareStack</c> and <c>RequireAuthorization</c>), and its messages carry the sender's name; open rooms keep the
/// tutorial's wire protocol exactly.
/// </summary>
public sealed class PrivateRoomTests(ChatServer server) : IClassFixture<ChatServer>
{
    [Fact]
    public async Task Handshake_PrivateRoomAnonymous_IsRefusedWith403()
    {
        using var browser = new ChatBrowser(server);

        Assert.Equal(403, await browser.HandshakeStatusAsync("ws/chat/private-team/"));
    }

    [Fact]
    public async Task Chat_SignedInUsersInAPrivateRoom_MessagesCarryTheSendersName()
    {
        using var ada = new ChatBrowser(server);
        using var bob = new ChatBrowser(server);
        Assert.Equal(HttpStatusCode.Redirect, (await ada.LoginAsync("ada")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await bob.LoginAsync("bob")).StatusCode);
        await using var adaSocket = await ada.ConnectAsync("ws/chat/private-team/");
        await using var bobSocket = await bob.ConnectAsync("ws/chat/private-team/");

        await adaSocket.SendJsonAsync(new { message = "ready" });
        Assert.Equal("""{"message":"ready","user":"ada"}""", await bobSocket.ReceiveTextAsync());
        Assert.Equal("""{"message":"ready","user":"ada"}""", await adaSocket.ReceiveTextAsync());

        // The name comes from the connection's user, never from the client.
        await bobSocket.SendJsonAsync(new { message = "hi", user = "mallory" });
        Assert.Equal("""{"message":"hi","user":"bob"}""", await adaSocket.ReceiveTextAsync());
    }

    [Fact]
    public async Task Chat_SignedInUserInAnOpenRoom_TheTutorialsWireProtocolIsUnchanged()
    {
        using var ada = new ChatBrowser(server);
        await ada.LoginAsync("ada");
        await using var signedIn = await ada.ConnectAsync("ws/chat/open-with-users/");
        await using var anonymous = await WebSocketClient.ConnectAsync(server.WebSocketBaseAddress, "ws/chat/open-with-users/");

        await signedIn.SendJsonAsync(new { message = "ready" });
        Assert.Equal("""{"message":"ready"}""", await anonymous.ReceiveTextAsync());
        Assert.Equal("""{"message":"ready"}""", await signedIn.ReceiveTextAsync());

        await anonymous.SendJsonAsync(new { message = "hello" });
        Assert.Equal("""{"message":"hello"}""", await signedIn.ReceiveTextAsync());
    }

    [Fact]
    public async Task Logout_ThenHandshakeToAPrivateRoom_IsRefusedWith403()
    {
        using var ada = new ChatBrowser(server);
        await ada.LoginAsync("ada");
        Assert.Equal(101, await ada.HandshakeStatusAsync("ws/chat/private-team/"));

        Assert.Equal(HttpStatusCode.Redirect, (await ada.LogoutAsync("private-team")).StatusCode);

        Assert.Equal(403, await ada.HandshakeStatusAsync("ws/chat/private-team/"));
    }

    [Fact]
    public async Task Handshake_PrivateRoomNameTooLongForThePrivateRoute_IsNotServedAsAnOpenRoom()
    {
        using var browser = new ChatBrowser(server);

        Assert.Equal(404, await browser.HandshakeStatusAsync($"ws/chat/private-{new string('x', 73)}/"));
        Assert.Equal(403, await browser.HandshakeStatusAsync($"ws/chat/private-{new string('x', 72)}/"));
    }

    [Fact]
    public async Task Pages_PrivateRoom_AnonymousIsSentToSignInAndASignedInUserSeesTheirName()
    {
        using var browser = new ChatBrowser(server);

        var anonymous = await browser.GetAsync("chat/private-team/");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Equal("/login/?next=%2Fchat%2Fprivate-team%2F", anonymous.Headers.Location!.OriginalString);

        var login = await browser.LoginAsync("Ada <Lovelace>", "/chat/private-team/");
        Assert.Equal("/chat/private-team/", login.Headers.Location!.OriginalString);
        var page = await browser.GetStringAsync("chat/private-team/");
        Assert.Contains("Signed in as <strong id=\"user-name\">Ada &lt;Lovelace&gt;</strong>", page, StringComparison.Ordinal);
        Assert.Contains("<script id=\"room-name\" type=\"application/json\">\"private-team\"</script>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WithoutTheAntiforgeryToken_IsRejected()
    {
        using var browser = new ChatBrowser(server);

        var response = await browser.PostAsync("login/", [new("name", "ada"), new("next", "/chat/")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(403, await browser.HandshakeStatusAsync("ws/chat/private-team/"));
    }

    [Fact]
    public async Task Login_NextIsAnotherSite_RedirectsToTheChatInstead()
    {
        using var browser = new ChatBrowser(server);

        var response = await browser.LoginAsync("ada", "//evil.example/");

        Assert.Equal("/chat/", response.Headers.Location!.OriginalString);
    }
}
