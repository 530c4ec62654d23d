using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Actors;
using Switchboard.Actors.Consumers;
using Switchboard.Gateway.Tests.Support;
using Switchboard.Routing;
using Switchboard.Routing.Security;

namespace Switchboard.Gateway.Tests.Hosting;

/// <summary>
/// <c>OriginValidator.AllowedHosts</c> reads ASP.NET Core's <c>AllowedHosts</c> setting. The gateway copies the list
/// once per options value, not per handshake; a reloaded configuration must still take effect at the next handshake.
/// </summary>
public sealed class AllowedHostsReloadTests(AllowedHostsReloadTests.Server server) : IClassFixture<AllowedHostsReloadTests.Server>
{
    [Fact]
    public async Task AllowedHosts_ConfigurationReloaded_TheNextHandshakeUsesTheNewList()
    {
        Assert.Equal(101, await HandshakeFromAsync("http://a.example"));
        Assert.Equal(403, await HandshakeFromAsync("http://b.example"));

        var configuration = (IConfigurationRoot)server.Services.GetRequiredService<IConfiguration>();
        configuration["AllowedHosts"] = "127.0.0.1;b.example";
        configuration.Reload();

        Assert.Equal(101, await HandshakeFromAsync("http://b.example"));
        Assert.Equal(403, await HandshakeFromAsync("http://a.example"));
    }

    private Task<int> HandshakeFromAsync(string origin) =>
        WebSocketClient.HandshakeStatusAsync(server.WebSocketBaseAddress, $"ws/echo/{ConnectionProbe.NewId()}/", o => o.SetRequestHeader("Origin", origin));

    public sealed class Server : GatewayServer
    {
        protected override IApplication Application { get; } = OriginValidator.AllowedHosts(new UrlRouter
        {
            Routes.Path("ws/echo/{id}/", Consumer.Of<AcceptingConsumer>()),
        });

        protected override void ConfigureServices(WebApplicationBuilder builder)
        {
            base.ConfigureServices(builder);
            // 127.0.0.1 as well: ASP.NET Core's host filtering checks the Host header against the same list.
            builder.Configuration["AllowedHosts"] = "127.0.0.1;a.example";
        }
    }

    private sealed class AcceptingConsumer : WebSocketConsumer
    {
        protected override Task OnConnectAsync() => AcceptAsync();
    }
}
