namespace Switchboard.Actors;

/// <summary>
/// An application refused a connection at connect time. The gateway answers the handshake with
/// <see cref="StatusCode"/> (403 unless a subclass says otherwise) and logs <see cref="Exception.Message"/>.
/// </summary>
public class ConnectionRefusedException : Exception
{
    /// <summary>Refuses with <paramref name="statusCode"/> and a message that says why.</summary>
    public ConnectionRefusedException(string message, int statusCode = 403) : base(message) => StatusCode = statusCode;

    /// <summary>Refuses with 403 and a default message.</summary>
    public ConnectionRefusedException() : this("The connection was refused.")
    {
    }

    /// <summary>Refuses with 403, a message and a cause.</summary>
    public ConnectionRefusedException(string message, Exception innerException) : this(message, 403, innerException)
    {
    }

    /// <summary>Refuses with <paramref name="statusCode"/>, a message and a cause.</summary>
    public ConnectionRefusedException(string message, int statusCode, Exception? innerException) : base(message, innerException) => StatusCode = statusCode;

    /// <summary>The HTTP status the gateway answers the handshake with.</summary>
    public int StatusCode { get; }
}

/// <summary>No route matched the connection (<c>No route found for path 'x'.</c>): the gateway answers 404.</summary>
public sealed class RouteNotFoundException : ConnectionRefusedException
{
    /// <summary>No route matched; <paramref name="message"/> names what did not match.</summary>
    public RouteNotFoundException(string message) : base(message, 404)
    {
    }

    /// <summary>No route matched.</summary>
    public RouteNotFoundException() : this("No route found.")
    {
    }

    /// <summary>No route matched, with a cause.</summary>
    public RouteNotFoundException(string message, Exception innerException) : base(message, 404, innerException)
    {
    }
}
