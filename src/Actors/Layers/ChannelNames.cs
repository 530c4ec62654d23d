using System.Text.RegularExpressions;

namespace Switchboard.Actors.Layers;

/// <summary>Channels' rules for channel and group names, checked by every layer.</summary>
public static partial class ChannelNames
{
    /// <summary>Names must be shorter than this.</summary>
    public const int MaxLength = 100;

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="name"/> is a valid channel name.</summary>
    public static string RequireChannel(string name, string paramName = "channel")
    {
        if (!IsValidChannel(name))
        {
            throw new ArgumentException(
                $"Channel name must be a valid string with length < {MaxLength} containing only ASCII letters, digits, hyphens, underscores, or periods, with at most one '!' (got '{Shorten(name)}').",
                paramName);
        }

        return name;
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="name"/> is a valid group name.</summary>
    public static string RequireGroup(string name, string paramName = "group")
    {
        if (!IsValidGroup(name))
        {
            throw new ArgumentException(
                $"Group name must be a valid string with length < {MaxLength} containing only ASCII letters, digits, hyphens, underscores, or periods (got '{Shorten(name)}').",
                paramName);
        }

        return name;
    }

    /// <summary>Whether <paramref name="name"/> is a valid channel name.</summary>
    public static bool IsValidChannel(string? name) => name is { Length: > 0 and < MaxLength } && ChannelPattern().IsMatch(name);

    /// <summary>Whether <paramref name="name"/> is a valid group name.</summary>
    public static bool IsValidGroup(string? name) => name is { Length: > 0 and < MaxLength } && GroupPattern().IsMatch(name);

    private static string Shorten(string? name) => name is null ? "null" : name.Length > 120 ? name[..120] + "..." : name;

    [GeneratedRegex(@"^[a-zA-Z0-9\-_.]+(![a-zA-Z0-9\-_.]*)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex ChannelPattern();

    [GeneratedRegex(@"^[a-zA-Z0-9\-_.]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex GroupPattern();
}
