using Microsoft.AspNetCore.SignalR;

namespace Switchboard.Bench.SignalR;

/// <summary>
/// The chat's semantics on SignalR: a connection joins one room (from <c>?room=</c> on connect, or by invoking
/// <c>JoinRoom</c>), and <c>SendMessage</c> goes to everyone in it, the sender included, as <c>ReceiveMessage</c>.
/// </summary>
public sealed class ChatHub : Hub
{
    private const string RoomKey = "room";

    public override async Task OnConnectedAsync()
    {
        if (Context.GetHttpContext()?.Request.Query[RoomKey].ToString() is { Length: > 0 } room)
        {
            await JoinRoom(room);
        }
    }

    public async Task JoinRoom(string room)
    {
        if (Context.Items.TryGetValue(RoomKey, out var joined) && joined is string previous)
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, previous);
        }

        Context.Items[RoomKey] = room;
        await Groups.AddToGroupAsync(Context.ConnectionId, room);
    }

    public Task SendMessage(string message) =>
        Context.Items.TryGetValue(RoomKey, out var room) && room is string name
            ? Clients.Group(name).SendAsync("ReceiveMessage", message)
            : throw new HubException("Join a room first.");
}
