using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Actors;
using Switchboard.Gateway;
using Switchboard.Gateway.Hosting;
using Xunit;

namespace Switchboard.Testing;

/// <summary>
/// Runs the real gateway (Kestrel, the routing actor, the channel layer) on a free 127.0.0.1 port for end-to-end
/// tests with real clients and browsers: Channels' <c>ChannelsLiveServerTestCase</c>. Use it as an xUnit class or
/// collection fixture: subclass it and give the <see cref="Application"/>, or override <see cref="CreateHost"/> to
/// start your own host (for example your <c>Program</c>'s builder).
/// </summary>
/// <example>
/// <code>
/// public sealed class ChatServer : LiveServerFixture
/// {
///     protected override IApplication Application =&gt; ChatApplication.Application;
/// }
///
/// public sealed class ChatTests(ChatServer server) : IClassFixture&lt;ChatServer&gt;
/// {
///     [Fact]
///     public async Task Echo()
///     {
///         using var socket = new ClientWebSocket();
///         await socket.ConnectAsync(new Uri(server.WebSocketBaseAddress, "ws/chat/lobby/"), default);
///     }
/// }
/// </code>
/// </example>
public abstract class LiveServerFixture : IAsyncLifetime
{
    private WebApplication? _host;

    /// <summary>The application the server runs, for the default <see cref="CreateHost"/>.</summary>
    protected virtual IApplication Application => throw new InvalidOperationException($"{GetType().Name} must override Application or CreateHost.");

    /// <summary>The server's <c>http://127.0.0.1:port/</c> address.</summary>
    public Uri HttpBaseAddress { get; private set; } = null!;

    /// <summary>The server's <c>ws://127.0.0.1:port/</c> address.</summary>
    public Uri WebSocketBaseAddress { get; private set; } = null!;

    /// <summary>The running host's services (the channel layer, the node, ...).</summary>
    public IServiceProvider Services => _host?.Services ?? throw new InvalidOperationException("The live server has not started.");

    /// <summary>The Switchboard node inside the server.</summary>
    public SwitchboardNode Node => Services.GetRequiredService<SwitchboardNode>();

    /// <summary>
    /// Builds the host to run, listening on <paramref name="url"/> (<c>http://127.0.0.1:0</c>: the OS picks a free port).
    /// The default serves <see cref="Application"/> with <see cref="ConfigureServices"/> and <see cref="Configure"/> applied.
    /// </summary>
    protected virtual WebApplication CreateHost(string url)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(url);
        builder.Services.AddSwitchboard(Application);
        ConfigureServices(builder);
        var host = builder.Build();
        host.MapSwitchboard();
        Configure(host);
        return host;
    }

    /// <summary>Adds services to the default host.</summary>
    protected virtual void ConfigureServices(WebApplicationBuilder builder)
    {
    }

    /// <summary>Adds endpoints or middleware to the default host (after <c>MapSwitchboard</c>).</summary>
    protected virtual void Configure(WebApplication app)
    {
    }

    /// <summary>Starts the server.</summary>
    public async Task InitializeAsync()
    {
        _host = CreateHost($"http://{IPAddress.Loopback}:0");
        await _host.StartAsync();
        var address = _host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The live server reported no address.");
        HttpBaseAddress = new Uri(address.TrimEnd('/') + "/");
        WebSocketBaseAddress = new UriBuilder(HttpBaseAddress) { Scheme = "ws" }.Uri;
    }

    /// <summary>Stops the server: sockets are closed with 1001 and the node shuts down.</summary>
    public async Task DisposeAsync()
    {
        if (_host is { } host)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await host.StopAsync(timeout.Token);
            await host.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
