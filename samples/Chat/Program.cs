using Microsoft.AspNetCore.Authentication.Cookies;
using Switchboard.Gateway;
using Switchboard.Gateway.Hosting;
using Switchboard.Samples.Chat;

var app = ChatHost.Build(args);
await app.RunAsync();

namespace Switchboard.Samples.Chat
{
    /// <summary>Builds the chat sample's host; tests start it on a free port with the same code.</summary>
    public static class ChatHost
    {
        /// <summary>The address the sample serves when no <c>--urls</c> is given.</summary>
        public const string DefaultUrl = "http://127.0.0.1:8000";

        /// <summary>Builds the host from command-line arguments (<c>--urls</c>, <c>--akka-port</c>, ...).</summary>
        public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions
            {
                Args = args,
                ContentRootPath = AppContext.BaseDirectory,
            });
            if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
            {
                builder.WebHost.UseUrls(DefaultUrl);
            }

            builder.Services.AddSwitchboard(ChatApplication.Application);

            // What AuthMiddlewareStack reads: the sign-in cookie, and sessions shared by HTTP requests and consumers.
            builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
                .AddCookie(o =>
                {
                    o.LoginPath = "/login/";
                    o.LogoutPath = "/logout/";
                });
            builder.Services.AddAuthorization();
            builder.Services.AddDistributedMemoryCache();
            builder.Services.AddSession();
            builder.Services.AddAntiforgery();
            configure?.Invoke(builder);

            var app = builder.Build();
            // The gateway first: it authenticates a handshake with the default scheme and reads the session itself
            // (docs/middleware.md), so WebSockets skip what HTTP pages need below, such as UseSession minting and
            // encrypting a new session cookie for every cookieless request.
            app.MapSwitchboard();
            app.UseAuthentication();
            // Named here, after the gateway: otherwise ASP.NET Core adds authorization at the very start of the pipeline,
            // where it would sit in every WebSocket request for the socket's whole life.
            app.UseAuthorization();
            app.UseSession();
            app.UseAntiforgery();
            app.MapGet("/", () => Results.Redirect("/chat/"));
            app.MapGet("/chat/", () => Results.Content(Pages.Index, "text/html; charset=utf-8"));
            app.MapGet("/chat/{room}/", SignIn.RoomPage);
            app.MapSignIn();
            return app;
        }
    }
}
