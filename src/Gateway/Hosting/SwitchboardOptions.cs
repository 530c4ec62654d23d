using Switchboard.Actors;

namespace Switchboard.Gateway.Hosting;

/// <summary>What <c>AddSwitchboard</c> configures: the application and where the configuration comes from.</summary>
public sealed class SwitchboardOptions
{
    /// <summary>The application that serves connections (Channels' <c>ASGI_APPLICATION</c>).</summary>
    public IApplication? Application { get; set; }

    /// <summary>
    /// The deployment's HOCON file. When <see langword="null"/>, <c>cluster.hocon</c> is looked for in the content root,
    /// then beside the application; the <c>SWITCHBOARD_CONFIG</c> setting names another file.
    /// </summary>
    public string? ConfigFile { get; set; }

    /// <summary>HOCON that overrides every file (for tests and tools), or <see langword="null"/>.</summary>
    public string? ConfigOverrides { get; set; }

    /// <summary>The actor system's name; nodes of one cluster share it.</summary>
    public string SystemName { get; set; } = "switchboard";

    /// <summary>
    /// Whether a WebSocket handshake with no <c>Authorization</c> header offers its <c>?access_token=</c> query value to the
    /// app's authentication as a bearer token (browsers cannot set headers on a WebSocket). On by default.
    /// </summary>
    public bool AccessTokenFromQueryString { get; set; } = true;
}
