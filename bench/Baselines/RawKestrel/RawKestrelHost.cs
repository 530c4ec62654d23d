using Microsoft.Extensions.Logging;

namespace Switchboard.Bench.RawKestrel;

/// <summary>
/// The ceiling of this stack: samples/Chat's protocol (<c>/ws/chat/{room}/</c>, <c>{"message": "..."}</c> to
/// everyone in the room) written by hand on Kestrel's WebSockets, with no framework between socket and room.
/// </summary>
public static class RawKestrelHost
{
    /// <summary>Builds the host from command-line arguments (<c>--urls</c>).</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var rooms = new Rooms();
        app.UseWebSockets();
        app.Map("/ws/chat/{room}/", async (HttpContext context, string room) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            await ChatSocket.ServeAsync(context, rooms, room);
        });
        return app;
    }
}
