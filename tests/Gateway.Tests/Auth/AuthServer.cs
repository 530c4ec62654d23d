using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Actors;
using Switchboard.Actors.Consumers;
using Switchboard.Gateway.Hosting;
using Switchboard.Gateway.Tests.Support;
using Switchboard.Routing;
using Switchboard.Routing.Middleware;

namespace Switchboard.Gateway.Tests.Auth;

/// <summary>
/// A real ASP.NET Core app with cookie authentication, a bearer scheme (the default scheme picks one per request, as apps
/// that mix cookies and JWT do), an <c>admins</c> policy, and sessions over the distributed memory cache; HTTP endpoints
/// sign in and out and read and write the session; WebSocket routes report what their consumer saw.
/// </summary>
public abstract class AuthServer : GatewayServer
{
    public const string BearerPrefix = "valid-token-";

    public static readonly IApplication App = new UrlRouter
    {
        Routes.Path("ws/plain/", Consumer.Of<WhoAmIConsumer>()),
        Routes.Path("ws/whoami/", AuthMiddlewareStack.Wrap(Consumer.Of<WhoAmIConsumer>())),
        Routes.Path("ws/auth-only/", new AuthMiddleware(Consumer.Of<WhoAmIConsumer>())),
        Routes.Path("ws/private/", AuthMiddlewareStack.Wrap(RequireAuthorization.Wrap(Consumer.Of<WhoAmIConsumer>()))),
        Routes.Path("ws/admin/", AuthMiddlewareStack.Wrap(RequireAuthorization.Wrap(Consumer.Of<WhoAmIConsumer>(), "admins"))),
        Routes.Path("ws/session/", AuthMiddlewareStack.Wrap(Consumer.Of<SessionConsumer>())),
    };

    protected override IApplication Application => App;

    /// <summary>Whether <c>UseAuthentication()</c> runs before the gateway (otherwise the gateway authenticates by itself).</summary>
    protected abstract bool AuthenticateBeforeGateway { get; }

    public new LogSink Logs => Services.GetRequiredService<LogSink>();

    protected override WebApplication CreateHost(string url)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(url);
        builder.Services.AddSwitchboard(Application);
        ConfigureServices(builder);

        var logs = new LogSink();
        builder.Services.AddSingleton(logs);
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Trace);

        builder.Services.AddAuthentication("cookie-or-bearer")
            .AddPolicyScheme("cookie-or-bearer", null, o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal)
                    ? TestBearerHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie()
            .AddScheme<AuthenticationSchemeOptions, TestBearerHandler>(TestBearerHandler.SchemeName, null);
        builder.Services.AddAuthorization(o => o.AddPolicy("admins", p => p.RequireRole("admin")));
        builder.Services.AddDistributedMemoryCache();
        builder.Services.AddSession();

        var app = builder.Build();
        if (AuthenticateBeforeGateway)
        {
            app.UseAuthentication();
        }

        app.MapSwitchboard();
        app.UseSession();
        app.MapPost("/login", async (HttpContext context, string name, string? role) =>
        {
            Claim[] claims = [new(ClaimTypes.Name, name), new(ClaimTypes.NameIdentifier, name), .. role is null ? [] : new[] { new Claim(ClaimTypes.Role, role) }];
            await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
                new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme)));
        });
        app.MapPost("/logout", (HttpContext context) => context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme));
        app.MapGet("/session", (HttpContext context, string key) => context.Session.GetString(key) ?? "(none)");
        app.MapPost("/session", (HttpContext context, string key, string value) => context.Session.SetString(key, value));
        app.MapGet("/session/id", async (HttpContext context) =>
        {
            await context.Session.LoadAsync();
            return context.Session.Id;
        });
        return app;
    }
}

public sealed class GatewayAuthServer : AuthServer
{
    protected override bool AuthenticateBeforeGateway => false;
}

public sealed class PipelineAuthServer : AuthServer
{
    protected override bool AuthenticateBeforeGateway => true;
}

/// <summary>A bearer scheme as a JWT handler would behave: <c>Bearer valid-token-NAME</c> is the user NAME, anything else fails.</summary>
public sealed class TestBearerHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var token = header["Bearer ".Length..];
        if (!token.StartsWith(AuthServer.BearerPrefix, StringComparison.Ordinal))
        {
            return Task.FromResult(AuthenticateResult.Fail("The token is not valid."));
        }

        var name = token[AuthServer.BearerPrefix.Length..];
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.NameIdentifier, name)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}

/// <summary>What a consumer saw: its user and whether an Authorization header was in its scope.</summary>
public sealed record WhoAmI(string? User, string? AuthenticationType, bool AuthorizationHeader, bool Admin);

/// <summary>Sends a <see cref="WhoAmI"/> as soon as it accepts.</summary>
public sealed class WhoAmIConsumer : JsonWebSocketConsumer
{
    protected override async Task OnConnectAsync()
    {
        await AcceptAsync();
        var identity = Scope.User.Identities.FirstOrDefault(i => i.IsAuthenticated);
        await SendJsonAsync(new WhoAmI(identity?.Name, identity?.AuthenticationType, Scope.GetHeader("authorization") is not null, Scope.User.IsInRole("admin")));
    }
}

/// <summary><c>get K</c>, <c>set K V</c>, <c>remove K</c>, <c>clear</c> (each saves), <c>keys</c>, <c>login NAME</c> (saves), <c>whoami</c>, <c>id</c>.</summary>
public sealed class SessionConsumer : WebSocketConsumer
{
    protected override async Task OnReceiveAsync(string? text, byte[]? bytes)
    {
        var parts = text!.Split(' ', 3);
        var session = Scope.Session!;
        switch (parts[0])
        {
            case "get":
                await SendAsync(session.Get(parts[1]) ?? "(none)");
                break;
            case "set":
                session.Set(parts[1], parts[2]);
                await session.SaveAsync();
                await SendAsync("saved");
                break;
            case "login":
                this.Login(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, parts[1]), new Claim(ClaimTypes.NameIdentifier, parts[1])], "chat")));
                await session.SaveAsync();
                await SendAsync("saved");
                break;
            case "whoami":
                await SendAsync(Scope.User.Identity?.IsAuthenticated == true ? Scope.User.Identity.Name! : "anonymous");
                break;
            case "id":
                await SendAsync(session.Id);
                break;
            case "remove":
                session.Remove(parts[1]);
                await session.SaveAsync();
                await SendAsync("saved");
                break;
            case "clear":
                session.Clear();
                await session.SaveAsync();
                await SendAsync("saved");
                break;
            case "keys":
                await SendAsync(string.Join(",", session.Keys.Order(StringComparer.Ordinal)));
                break;
        }
    }
}

/// <summary>Keeps every log line (category, level, message, exception) for tests that check what is never logged.</summary>
public sealed class LogSink : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, LogLevel Level, string Text)> _lines = new();

    public IReadOnlyCollection<(string Category, LogLevel Level, string Text)> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<(string, LogLevel, string)> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            lines.Enqueue((category, logLevel, $"{formatter(state, exception)} {values} {exception}"));
        }
    }
}

/// <summary>An HTTP client and a cookie jar that WebSockets share.</summary>
public sealed class Browser : IDisposable
{
    private readonly HttpClient _http;

    public Browser(Uri baseAddress)
    {
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies }) { BaseAddress = baseAddress, Timeout = WebSocketClient.Timeout };
        BaseAddress = baseAddress;
    }

    public System.Net.CookieContainer Cookies { get; } = new();

    public Uri BaseAddress { get; }

    public async Task LoginAsync(string name, string? role = null)
    {
        var query = $"login?name={Uri.EscapeDataString(name)}" + (role is null ? "" : $"&role={Uri.EscapeDataString(role)}");
        (await _http.PostAsync(query, null)).EnsureSuccessStatusCode();
    }

    public async Task LogoutAsync() => (await _http.PostAsync("logout", null)).EnsureSuccessStatusCode();

    public Task<string> GetSessionAsync(string key) => _http.GetStringAsync($"session?key={Uri.EscapeDataString(key)}");

    public Task<string> GetSessionIdAsync() => _http.GetStringAsync("session/id");

    public async Task SetSessionAsync(string key, string value) =>
        (await _http.PostAsync($"session?key={Uri.EscapeDataString(key)}&value={Uri.EscapeDataString(value)}", null)).EnsureSuccessStatusCode();

    public Task<WebSocketClient> ConnectAsync(Uri webSocketBase, string path) =>
        WebSocketClient.ConnectAsync(webSocketBase, path, o => o.Cookies = Cookies);

    public Task<int> HandshakeStatusAsync(Uri webSocketBase, string path) =>
        WebSocketClient.HandshakeStatusAsync(webSocketBase, path, o => o.Cookies = Cookies);

    public static async Task<WhoAmI> WhoAmIAsync(WebSocketClient client) =>
        JsonSerializer.Deserialize<WhoAmI>((await client.ReceiveTextAsync())!, JsonSerializerOptions.Web)!;

    public void Dispose() => _http.Dispose();
}
