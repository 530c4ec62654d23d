using Microsoft.Extensions.Logging;

namespace Switchboard.Bench.SignalR;

/// <summary>
/// The .NET peer: the chat as an ASP.NET Core SignalR hub at <c>/chat</c>, WebSockets and the JSON protocol. The
/// client timeout is raised so that the idle scenario's silent clients are not dropped for not pinging. With
/// <see cref="RedisVariable"/> set, group sends go through SignalR's Redis backplane, so several hubs on one Redis
/// serve one set of rooms: the multi-node baseline.
/// </summary>
public static class SignalRHost
{
    /// <summary>The environment variable that holds the backplane's Redis address (<c>127.0.0.1:6379</c>); unset, there is none.</summary>
    public const string RedisVariable = "SIGNALR_REDIS";

    /// <summary>Builds the host from command-line arguments (<c>--urls</c>) and the environment.</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var signalR = builder.Services.AddSignalR(options => options.ClientTimeoutInterval = TimeSpan.FromMinutes(10));
        if (builder.Configuration[RedisVariable] is { Length: > 0 } redis)
        {
            signalR.AddStackExchangeRedis(redis);
        }

        var app = builder.Build();
        app.MapHub<ChatHub>("/chat");
        return app;
    }
}
