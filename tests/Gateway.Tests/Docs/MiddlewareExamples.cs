// The csharp blocks of docs/middleware.md, verbatim, one paragraph at a time (DocsExamplesTests checks it).
// Change the guide and this file together.
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Actors;
using Switchboard.Actors.Consumers;
using Switchboard.Gateway.Hosting;
using Switchboard.Routing;
using Switchboard.Routing.Middleware;
using Switchboard.Routing.Security;

namespace Switchboard.Gateway.Tests.Docs.Middleware;

public sealed class ChatConsumer : JsonWebSocketConsumer
{
    protected override async Task OnReceiveJsonAsync(JsonElement content)
    {
        var name = content.GetProperty("name").GetString()!;
        this.Login(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], "chat")));
        await Scope.Session!.SaveAsync();
    }
}

public sealed class PrivateChatConsumer : WebSocketConsumer;

public sealed class AdminConsumer : WebSocketConsumer;

public static class ChatApplication
{
    public static IApplication Application { get; } = new ProtocolTypeRouter
    {
        ["websocket"] = OriginValidator.AllowedHosts(
            AuthMiddlewareStack.Wrap(
                new UrlRouter
                {
                    Routes.Path("ws/chat/{room}/", Consumer.Of<ChatConsumer>()),
                    Routes.Path("ws/private/{room}/", RequireAuthorization.Wrap(Consumer.Of<PrivateChatConsumer>())),
                    Routes.Path("ws/admin/", RequireAuthorization.Wrap(Consumer.Of<AdminConsumer>(), "admins")),
                })),
    };
}

public sealed record Tenant(string Name);

public sealed class TenantMiddleware(IApplication inner) : BaseMiddleware(inner)
{
    protected override ValueTask<ConnectionScope> TransformAsync(ConnectionScope scope, CancellationToken cancellationToken) =>
        new(scope with { Extensions = scope.Extensions.With(new Tenant(scope.GetHeader("x-tenant") ?? "default")) });
}

public static class ChatProgram
{
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        builder.Services.AddSwitchboard(ChatApplication.Application);
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
        builder.Services.AddAuthorization();
        builder.Services.AddDistributedMemoryCache();   // or Redis, SQL Server...: any IDistributedCache
        builder.Services.AddSession();

        var app = builder.Build();
        app.MapSwitchboard();      // first: the gateway authenticates handshakes and reads sessions itself
        app.UseAuthentication();   // for the HTTP pages
        app.UseAuthorization();
        app.UseSession();
        return app;
    }
}
