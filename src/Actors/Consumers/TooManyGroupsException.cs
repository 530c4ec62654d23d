namespace Switchboard.Actors.Consumers;

/// <summary>
/// A consumer tried to join more groups than <c>switchboard.consumer.max-groups</c> allows for one connection.
/// Unhandled, it closes the connection like any exception (1011, or HTTP 500 while connecting); a consumer that joins
/// groups on its client's request can catch it and answer the client instead.
/// </summary>
public sealed class TooManyGroupsException : InvalidOperationException
{
    /// <summary>Creates the exception for a consumer that is in <paramref name="limit"/> groups and tried to join <paramref name="group"/>.</summary>
    public TooManyGroupsException(string group, int limit)
        : base($"Cannot join group '{group}': this connection is already in {limit} groups, the most switchboard.consumer.max-groups allows. Leave a group first (RemoveFromGroupAsync), or raise the limit.")
    {
        Group = group;
        Limit = limit;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public TooManyGroupsException() : base("This connection is already in the most groups switchboard.consumer.max-groups allows.") => Group = "";

    /// <summary>Creates the exception with a message and a cause.</summary>
    public TooManyGroupsException(string message, Exception innerException) : base(message, innerException) => Group = "";

    /// <summary>The group the consumer tried to join.</summary>
    public string Group { get; }

    /// <summary>The limit (<c>switchboard.consumer.max-groups</c>).</summary>
    public int Limit { get; }
}
