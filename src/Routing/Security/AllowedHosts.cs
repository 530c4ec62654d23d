namespace Switchboard.Routing.Security;

/// <summary>
/// The host names this deployment answers to (ASP.NET Core's <c>AllowedHosts</c>), put on the scope by the
/// gateway for <see cref="OriginValidator.AllowedHosts"/>.
/// </summary>
/// <param name="Hosts">Host patterns: <c>*</c>, <c>example.com</c>, <c>.example.com</c>, <c>host:port</c>.</param>
public sealed record AllowedHosts(IReadOnlyList<string> Hosts)
{
    /// <summary>What is allowed when no list was configured: the local machine, as Channels does in debug mode.</summary>
    public static AllowedHosts LocalOnly { get; } = new(["localhost", "127.0.0.1", "[::1]"]);
}
