namespace Switchboard.Bench.LoadGen;

/// <summary>A room and its clients: clients <see cref="First"/> to <see cref="First"/> + size - 1, those that connected.</summary>
internal sealed class Room(int index, string name, int first, int size)
{
    public int Index { get; } = index;

    public string Name { get; } = name;

    public int First { get; } = first;

    public int Size { get; } = size;

    /// <summary>The members that connected; filled before any traffic and read-only after.</summary>
    public List<Connection> Members { get; } = [];
}
