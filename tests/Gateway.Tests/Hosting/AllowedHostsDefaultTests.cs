using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Actors;
using Switchboard.Actors.Consumers;
using Switchboard.Gateway.Tests.Support;
using Switchboard.Routing;
using Switchboard.Routing.Security;

namespace Switchboard.Gateway.Tests.Hosting;

/// <summary>
/// ASP.NET Core fills an unset <c>AllowedHosts</c> with <c>*</c>; <c>OriginValidator.AllowedHosts</c> must not take that
/// as a choice to let every origin in. Unset, only the local machine's origins are allowed (and a refusal's log line says
/// why); <c>*</c> set in the configuration allows every origin; a list configured in code is used as it is.
/// </summary>
public sealed class AllowedHostsDefaultTests
{
    [Fact]
    public async Task AllowedHosts_NotConfigured_LocalOriginsOnlyAndTheRefusalSaysWhy()
    {
        await using var server = await StartAsync(new ValidatingServer());

        Assert.Equal(101, await HandshakeFromAsync(server, "http://localhost:8000"));
        Assert.Equal(101, await HandshakeFromAsync(server, "http://127.0.0.1"));
        Assert.Equal(403, await HandshakeFromAsync(server, "http://app.example"));
        Assert.Equal(403, await HandshakeFromAsync(server, origin: null));

        var logged = await server.Logs.WaitForAsync(e => e.Message.Contains("Origin 'http://app.example' is not allowed.", StringComparison.Ordinal));
        Assert.Contains("AllowedHosts is not configured", logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllowedHosts_StarInConfiguration_AllowsEveryOrigin()
    {
        await using var server = await StartAsync(new ValidatingServer(builder => builder.Configuration["AllowedHosts"] = "*"));

        Assert.Equal(101, await HandshakeFromAsync(server, "http://app.example"));
        Assert.Equal(101, await HandshakeFromAsync(server, origin: null));
    }

    [Fact]
    public async Task AllowedHosts_ConfiguredInCode_IsTheList()
    {
        // 127.0.0.1 as well: ASP.NET Core's host filtering checks the Host header against the same list.
        await using var server = await StartAsync(new ValidatingServer(builder =>
            builder.Services.Configure<HostFilteringOptions>(o => o.AllowedHosts = ["127.0.0.1", "app.example"])));

        Assert.Equal(101, await HandshakeFromAsync(server, "https://app.example"));
        Assert.Equal(403, await HandshakeFromAsync(server, "http://localhost"));
    }

    private static async Task<ValidatingServer> StartAsync(ValidatingServer server)
    {
        await ((IAsyncLifetime)server).InitializeAsync();
        return server;
    }

    private static Task<int> HandshakeFromAsync(ValidatingServer server, string? origin) =>
        WebSocketClient.HandshakeStatusAsync(server.WebSocketBaseAddress, $"ws/echo/{ConnectionProbe.NewId()}/", o =>
        {
            if (origin is not null)
            {
                o.SetRequestHeader("Origin", origin);
            }
        });

    /// <summary>A gateway whose application is behind <c>OriginValidator.AllowedHosts</c>, configured by <paramref name="configure"/>.</summary>
    private sealed class ValidatingServer(Action<WebApplicationBuilder>? configure = null) : GatewayServer, IAsyncDisposable
    {
        protected override IApplication Application { get; } = OriginValidator.AllowedHosts(new UrlRouter
        {
            Routes.Path("ws/echo/{id}/", Consumer.Of<AcceptingConsumer>()),
        });

        protected override void ConfigureServices(WebApplicationBuilder builder)
        {
            base.ConfigureServices(builder);
            configure?.Invoke(builder);
        }

        async ValueTask IAsyncDisposable.DisposeAsync() => await ((IAsyncLifetime)this).DisposeAsync();
    }

    private sealed class AcceptingConsumer : WebSocketConsumer
    {
        protected override Task OnConnectAsync() => AcceptAsync();
    }
}
