namespace Switchboard.Actors.Layers;

/// <summary>An actor's binding to a channel name in a channel layer. Disposing it unbinds the name.</summary>
public abstract class ChannelBinding : IDisposable
{
    /// <summary>Creates a binding for <paramref name="name"/>.</summary>
    protected ChannelBinding(string name) => Name = name;

    /// <summary>The channel name.</summary>
    public string Name { get; }

    /// <summary>The actor took one <see cref="ChannelDelivery"/> off its mailbox: one fewer undelivered message counts against the capacity.</summary>
    public abstract void Delivered();

    /// <summary>Unbinds the name; later sends to it find no receiver.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the binding.</summary>
    protected abstract void Dispose(bool disposing);
}
