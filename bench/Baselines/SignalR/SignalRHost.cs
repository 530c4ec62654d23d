using Microsoft.Extensions.Logging;

namespace Switchboard.Bench.SignalR;

/// <summary>
/// The .NET peer: the chat as an ASP.NET Core SignalR hub at <c>/chat</c>, WebSockets and the JSON protocol. The
/// client timeout is raised so that the idle scenario's silent clients are not dropped for not pinging.
/// </summary>
public static class SignalRHost
{
    /// <summary>Builds the host from command-line arguments (<c>--urls</c>).</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSignalR(options => options.ClientTimeoutInterval = TimeSpan.FromMinutes(10));
        var app = builder.Build();
        app.MapHub<ChatHub>("/chat");
        return app;
    }
}
