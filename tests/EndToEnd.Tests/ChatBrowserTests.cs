using Microsoft.Playwright;

namespace Switchboard.EndToEnd.Tests;

/// <summary>
/// The Channels tutorial's own pages and browser code, unchanged, in headless Chromium (Debian's, installed by
/// .ci/run) against the chat sample: the room picker leads to a room, and two tabs in a room chat with each other.
/// </summary>
public sealed class ChatBrowserTests(ChatServer server) : IClassFixture<ChatServer>, IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), $"Headless Chromium is needed at {Chromium}: apt-get install chromium (.ci/run does).");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Timeout = 60_000,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    [Fact]
    public async Task RoomPicker_EnterRoomName_OpensTheRoomPage()
    {
        var page = await _browser!.NewPageAsync();
        await page.GotoAsync(new Uri(server.HttpBaseAddress, "chat/").ToString());

        await page.FillAsync("#room-name-input", "picked");
        await page.PressAsync("#room-name-input", "Enter");

        await page.WaitForURLAsync("**/chat/picked/", new() { Timeout = 10_000 });
        Assert.Equal("picked", await page.EvaluateAsync<string>("roomName"));
    }

    [Fact]
    public async Task RoomPage_TwoTabs_SeeEachOthersMessagesInTheChatLog()
    {
        var room = new Uri(server.HttpBaseAddress, "chat/browsers/").ToString();
        var alice = await _browser!.NewPageAsync();
        var bob = await _browser.NewPageAsync();
        await alice.GotoAsync(room);
        await bob.GotoAsync(room);
        await WaitOpenAsync(alice);
        await WaitOpenAsync(bob);

        await alice.FillAsync("#chat-message-input", "hello from alice");
        await alice.ClickAsync("#chat-message-submit");

        await bob.WaitForFunctionAsync("() => document.querySelector('#chat-log').value.includes('hello from alice')", null, new() { Timeout = 10_000 });
        await alice.WaitForFunctionAsync("() => document.querySelector('#chat-log').value.includes('hello from alice')", null, new() { Timeout = 10_000 });

        await bob.FillAsync("#chat-message-input", "hi alice");
        await bob.PressAsync("#chat-message-input", "Enter");
        await alice.WaitForFunctionAsync("() => document.querySelector('#chat-log').value.includes('hi alice')", null, new() { Timeout = 10_000 });
        Assert.Equal("hello from alice\nhi alice\n", await alice.InputValueAsync("#chat-log"));
    }

    /// <summary>The tutorial's page has no "connected" indicator; its socket is the page's <c>chatSocket</c> constant.</summary>
    private static Task WaitOpenAsync(IPage page) =>
        page.WaitForFunctionAsync("() => chatSocket.readyState === WebSocket.OPEN", null, new() { Timeout = 10_000 });
}
