using System.Net;
using System.Text.RegularExpressions;

namespace Switchboard.EndToEnd.Tests;

/// <summary>A browser for the chat sample: one cookie jar for its pages and its WebSockets, and the sign-in form.</summary>
public sealed partial class ChatBrowser : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _webSocketBase;

    public ChatBrowser(ChatServer server)
    {
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false })
        {
            BaseAddress = server.HttpBaseAddress,
            Timeout = WebSocketClient.Timeout,
        };
        _webSocketBase = server.WebSocketBaseAddress;
    }

    public CookieContainer Cookies { get; } = new();

    /// <summary>Fills in and posts the sign-in form as a browser would, antiforgery token included.</summary>
    public async Task<HttpResponseMessage> LoginAsync(string name, string next = "/chat/")
    {
        var page = await GetStringAsync($"login/?next={Uri.EscapeDataString(next)}");
        var (field, token) = HiddenToken(page);
        return await _http.PostAsync("login/", new FormUrlEncodedContent([new(field, token), new("name", name), new("next", next)]));
    }

    /// <summary>Presses the sign-out button of a private room's page.</summary>
    public async Task<HttpResponseMessage> LogoutAsync(string room)
    {
        var (field, token) = HiddenToken(await GetStringAsync($"chat/{room}/"));
        return await _http.PostAsync("logout/", new FormUrlEncodedContent([new(field, token)]));
    }

    public Task<HttpResponseMessage> PostAsync(string path, IEnumerable<KeyValuePair<string, string>> form) =>
        _http.PostAsync(path, new FormUrlEncodedContent(form));

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path);

    public Task<string> GetStringAsync(string path) => _http.GetStringAsync(path);

    public Task<WebSocketClient> ConnectAsync(string path) => WebSocketClient.ConnectAsync(_webSocketBase, path, o => o.Cookies = Cookies);

    public Task<int?> HandshakeStatusAsync(string path) => WebSocketClient.HandshakeStatusAsync(_webSocketBase, path, o => o.Cookies = Cookies);

    public void Dispose() => _http.Dispose();

    private static (string Field, string Token) HiddenToken(string page)
    {
        var match = HiddenInput().Match(page);
        Assert.True(match.Success, "The page has no antiforgery field.");
        return (WebUtility.HtmlDecode(match.Groups[1].Value), WebUtility.HtmlDecode(match.Groups[2].Value));
    }

    [GeneratedRegex("<input name=\"([^\"]+)\" type=\"hidden\" value=\"([^\"]+)\">")]
    private static partial Regex HiddenInput();
}
