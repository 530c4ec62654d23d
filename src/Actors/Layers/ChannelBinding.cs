namespace Switchboard.Actors.Layers;

/// <summary>An actor's binding to a channel name in a channel layer. Disposing it unbinds the name.</summary>
public abstract class ChannelBinding : IDisposable
{
    /// <summary>Creates a binding for <paramref name="name"/>.</summary>
    protected ChannelBinding(string name) => Name = name;

    /// <summary>The channel name.</summary>
    public string Name { get; }

    /// <summary>
    /// The actor has handled one <see cref="ChannelDelivery"/> (its handler returned, or reached its first await): one fewer
    /// undelivered message counts against the capacity.
    /// </summary>
    public abstract void Delivered();

    /// <summary>
    /// What takes the binding's messages without the actor's turn, when the actor has nothing older from the layer still to
    /// handle; <see langword="null"/> for an actor that handles every message itself. A layer that does not offer messages
    /// to it delivers everything through the actor, which is always correct.
    /// </summary>
    internal IDeliveryForwarder? Forwarder { get; set; }

    /// <summary>Unbinds the name; later sends to it find no receiver.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the binding.</summary>
    protected abstract void Dispose(bool disposing);
}
