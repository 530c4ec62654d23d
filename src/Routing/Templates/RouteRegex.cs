using System.Text.RegularExpressions;

namespace Switchboard.Routing.Templates;

/// <summary>Regex settings shared by every route: a hostile path must not be able to hang the router.</summary>
internal static class RouteRegex
{
    /// <summary>How long one route regex may run on one path, twice, before the route counts as not matching.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>The match of <paramref name="regex"/> on <paramref name="input"/>, or <see langword="null"/> when it fails or times out.</summary>
    public static Match? TryMatch(Regex regex, string input) =>
        RunTwice(regex, input, static (regex, input) => regex.Match(input) is { Success: true } match ? match : null, timedOut: null);

    /// <summary>Whether <paramref name="regex"/> matches <paramref name="input"/> (no match object or captures); a timeout counts as no match.</summary>
    public static bool IsMatch(Regex regex, string input) => RunTwice(regex, input, static (regex, input) => regex.IsMatch(input), timedOut: false);

    /// <summary>
    /// Runs <paramref name="match"/>, and once more if it times out; <paramref name="timedOut"/> when both do. The timeout
    /// is wall-clock time, so a pause of the whole process during a match of a few microseconds (a garbage collection,
    /// the thread preempted on a busy machine) can trip it: one handshake in 19,000 was refused with 404 that way while a
    /// node took on 19,000 connections. A pattern that really runs away on the path trips it both times.
    /// </summary>
    internal static T RunTwice<T>(Regex regex, string input, Func<Regex, string, T> match, T timedOut)
    {
        try
        {
            return match(regex, input);
        }
        catch (RegexMatchTimeoutException)
        {
            try
            {
                return match(regex, input);
            }
            catch (RegexMatchTimeoutException)
            {
                return timedOut;
            }
        }
    }
}
