using System.Text.RegularExpressions;

namespace Switchboard.Routing.Templates;

/// <summary>Regex settings shared by every route: a hostile path must not be able to hang the router.</summary>
internal static class RouteRegex
{
    /// <summary>How long one route regex may run on one path before the route counts as not matching.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>The match of <paramref name="regex"/> on <paramref name="input"/>, or <see langword="null"/> when it fails or times out.</summary>
    public static Match? TryMatch(Regex regex, string input)
    {
        try
        {
            var match = regex.Match(input);
            return match.Success ? match : null;
        }
        catch (RegexMatchTimeoutException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="regex"/> matches <paramref name="input"/>; a timeout counts as no match.</summary>
    public static bool IsMatch(Regex regex, string input)
    {
        try
        {
            // No Match object or group captures: only whether it matches.
            return regex.IsMatch(input);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
