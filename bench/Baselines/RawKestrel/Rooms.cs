using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Switchboard.Bench.RawKestrel;

/// <summary>Rooms by name; each holds its members as an immutable array swapped on join and leave.</summary>
internal sealed class Rooms
{
    private readonly ConcurrentDictionary<string, Room> _rooms = new(StringComparer.Ordinal);

    public Room Join(string name, ChatSocket socket)
    {
        while (true)
        {
            var room = _rooms.GetOrAdd(name, static n => new Room(n));
            if (room.TryAdd(socket))
            {
                return room;
            }

            // The room emptied and was removed as we joined; take the new one.
        }
    }

    public void Leave(Room room, ChatSocket socket)
    {
        if (room.Remove(socket))
        {
            _rooms.TryRemove(new KeyValuePair<string, Room>(room.Name, room));
        }
    }
}

/// <summary>A room's members.</summary>
internal sealed class Room(string name)
{
    private readonly Lock _lock = new();
    private ImmutableArray<ChatSocket> _members = [];
    private bool _removed;

    public string Name { get; } = name;

    public ImmutableArray<ChatSocket> Members => _members;

    public bool TryAdd(ChatSocket socket)
    {
        lock (_lock)
        {
            if (_removed)
            {
                return false;
            }

            _members = _members.Add(socket);
            return true;
        }
    }

    /// <summary>Removes the member; true when the room is now empty and must be dropped.</summary>
    public bool Remove(ChatSocket socket)
    {
        lock (_lock)
        {
            _members = _members.Remove(socket);
            _removed = _members.IsEmpty;
            return _removed;
        }
    }
}
