namespace Switchboard.Actors.Layers;

/// <summary>A send found the channel already holding its capacity of undelivered messages (Channels' <c>ChannelFull</c>).</summary>
public sealed class ChannelFullException : Exception
{
    /// <summary>The channel <paramref name="channel"/> is full.</summary>
    public ChannelFullException(string channel) : base($"Channel '{channel}' is full: it already holds its capacity of undelivered messages.") => Channel = channel;

    /// <summary>The channel <paramref name="channel"/> cannot take a message, for the reason in <paramref name="message"/>.</summary>
    public ChannelFullException(string channel, string message) : base(message) => Channel = channel;

    /// <summary>Creates the exception with a default message.</summary>
    public ChannelFullException() : base("The channel is full.") => Channel = "";

    /// <summary>Creates the exception with a message and a cause.</summary>
    public ChannelFullException(string message, Exception innerException) : base(message, innerException) => Channel = "";

    /// <summary>The channel that was full.</summary>
    public string Channel { get; }
}
