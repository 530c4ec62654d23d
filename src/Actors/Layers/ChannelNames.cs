using System.Buffers;

namespace Switchboard.Actors.Layers;

/// <summary>Channels' rules for channel and group names, checked by every layer.</summary>
public static class ChannelNames
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
    /// <remarks>
    /// Letters, digits, <c>-</c>, <c>_</c> and <c>.</c>, then optionally one <c>!</c> and more of them. Checked by hand
    /// rather than by a regular expression: every send checks a name, and a regex match costs more than the rest of a
    /// local send.
    /// </remarks>
    public static bool IsValidChannel(string? name)
    {
        if (name is not { Length: > 0 and < MaxLength })
        {
            return false;
        }

        var bang = name.IndexOf('!', StringComparison.Ordinal);
        return bang < 0
            ? !name.AsSpan().ContainsAnyExcept(NameChars)
            : bang > 0 && !name.AsSpan(0, bang).ContainsAnyExcept(NameChars) && !name.AsSpan(bang + 1).ContainsAnyExcept(NameChars);
    }

    /// <summary>Whether <paramref name="name"/> is a valid group name: letters, digits, <c>-</c>, <c>_</c> and <c>.</c>.</summary>
    public static bool IsValidGroup(string? name) => name is { Length: > 0 and < MaxLength } && !name.AsSpan().ContainsAnyExcept(NameChars);

    private static readonly SearchValues<char> NameChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");

    private static string Shorten(string? name) => name is null ? "null" : name.Length > 120 ? name[..120] + "..." : name;
}
