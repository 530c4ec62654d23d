using System.Diagnostics;
using Switchboard.Routing.Templates;
using static Switchboard.Routing.Tests.Templates.RouteMatchText;

namespace Switchboard.Routing.Tests.Templates;

public sealed class RegexRoutePatternTests
{
    private const string None = NoMatch;

    [Theory]
    [InlineData(@"^ws/chat/(?P<room>\w+)/$", "ws/chat/lobby/", "room=lobby")]
    [InlineData(@"^ws/chat/(?<room>\w+)/$", "ws/chat/lobby/", "room=lobby")]
    [InlineData(@"ws/chat/(?<room>\w+)/", "ws/chat/lobby/", "room=lobby")]
    [InlineData(@"^ws/chat/(?<room>\w+)/", "ws/chat/lobby/", "room=lobby")]
    [InlineData(@"ws/chat/(?<room>\w+)/$", "ws/chat/lobby/", "room=lobby")]
    [InlineData(@"ws/chat/(?<room>\w+)/", "ws/chat/lobby/extra", None)]
    [InlineData(@"ws/chat/(?<room>\w+)/", "ws/chat/lobby", None)]
    [InlineData("bar", "xbar", None)]
    [InlineData("bar", "bar/baz/", None)]
    [InlineData("a|ab", "ab", "")]
    [InlineData("^chat$", "chat\n", None)]
    [InlineData("^CHAT$", "chat", None)]
    [InlineData("(?i)^CHAT$", "chat", "")]
    [InlineData("", "", "")]
    [InlineData("", "x", None)]
    [InlineData(@"^(?<year>\d{4})/(?<month>\d{2})/$", "2024/05/", "year=2024, month=05")]
    [InlineData(@"^a(?<opt>b)?c$", "ac", "")]
    [InlineData(@"^a(?<opt>b)?c$", "abc", "opt=b")]
    [InlineData(@"^a(?<empty>x*)c$", "ac", "empty=")]
    [InlineData(@"^(?P<x>a)(?P=x)$", "aa", "x=a")]
    [InlineData(@"^(?P<x>a)(?P=x)$", "ab", None)]
    [InlineData(@"^[(?P<]+$", "(?P<", "")]
    [InlineData(@"^\(?P<x>$", "P<x>", "")]
    public void Match_WholePath_MustCoverThePathFromItsStart(string pattern, string path, string expected) =>
        Assert.Equal(expected, Values(RegexRoutePattern.Parse(pattern).Match(path, prefix: false)));

    [Theory]
    [InlineData(@"^(\d+)/(\d+)/$", "2024/05/", "", "2024, 05")]
    [InlineData(@"^(?<year>\d+)/(\d+)/$", "2024/05/", "year=2024", "")]
    [InlineData(@"^(\d+)/(?<month>\d+)/$", "2024/05/", "month=05", "")]
    [InlineData(@"^(?:ws)/(\w+)/$", "ws/lobby/", "", "lobby")]
    [InlineData(@"^a(b)?c$", "ac", "", "")]
    [InlineData(@"^a(b)?(c)$", "ac", "", ", c")]
    [InlineData(@"^(a(b))$", "ab", "", "ab, b")]
    [InlineData(@"^literal/$", "literal/", "", "")]
    public void Match_Groups_NamedWinOverPositionalAsInDjango(string pattern, string path, string values, string args)
    {
        var match = RegexRoutePattern.Parse(pattern).Match(path, prefix: false);

        Assert.Equal(values, Values(match));
        Assert.Equal(args, Args(match));
    }

    [Theory]
    [InlineData("^ws/", "ws/chat/", 3, "")]
    [InlineData("ws/", "ws/chat/", 3, "")]
    [InlineData("ws", "wsx", 2, "")]
    [InlineData(@"^ws/(?<room>\w+)/", "ws/lobby/rest", 9, "room=lobby")]
    [InlineData("^ws/$", "ws/chat", -1, "")]
    [InlineData("xyz", "ws/xyz", -1, "")]
    [InlineData("", "abc", 0, "")]
    [InlineData("a*", "aaab", 3, "")]
    public void Match_Prefix_ReportsWhatTheRegexConsumed(string pattern, string path, int consumed, string values)
    {
        var match = RegexRoutePattern.Parse(pattern).Match(path, prefix: true);

        if (consumed < 0)
        {
            Assert.Null(match);
            return;
        }

        Assert.NotNull(match);
        Assert.Equal(consumed, match.Consumed);
        Assert.Equal(values, Values(match));
    }

    [Fact]
    public void Match_WholePath_ConsumesAllOfIt()
    {
        var match = RegexRoutePattern.Parse(@"^ws/(\w+)/$").Match("ws/lobby/", prefix: false);

        Assert.NotNull(match);
        Assert.Equal("ws/lobby/".Length, match.Consumed);
        Assert.Equal(new object[] { "lobby" }, match.Args);
        Assert.Empty(match.Values);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Match_CatastrophicPattern_TimesOutAsNoMatch(bool prefix)
    {
        var route = RegexRoutePattern.Parse("^(a+)+$");
        var watch = Stopwatch.StartNew();

        var match = route.Match(new string('a', 40) + "!", prefix);

        Assert.Null(match);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void RunTwice_MatchThatTimesOutOnce_IsRunAgainAndCounts()
    {
        // A benign match that a pause of the process pushed past the (wall-clock) timeout must not refuse the connection.
        var regex = new System.Text.RegularExpressions.Regex("^ws/chat/(?<room>[a-z0-9-]+)/$");
        var runs = 0;

        var matched = RouteRegex.RunTwice(regex, "ws/chat/idle-302/", (r, input) =>
            ++runs == 1 ? throw new System.Text.RegularExpressions.RegexMatchTimeoutException(input, r.ToString(), RouteRegex.MatchTimeout) : r.IsMatch(input), timedOut: false);

        Assert.True(matched);
        Assert.Equal(2, runs);
    }

    [Fact]
    public void RunTwice_MatchThatTimesOutTwice_CountsAsTimedOut()
    {
        var regex = new System.Text.RegularExpressions.Regex("^(a+)+$");
        var runs = 0;

        var matched = RouteRegex.RunTwice(regex, "aaaa!", (r, input) =>
            ++runs > 0 ? throw new System.Text.RegularExpressions.RegexMatchTimeoutException(input, r.ToString(), RouteRegex.MatchTimeout) : true, timedOut: false);

        Assert.False(matched);
        Assert.Equal(2, runs);
    }

    [Fact]
    public void Match_CatastrophicPatternOnAFriendlyPath_StillMatches() =>
        Assert.NotNull(RegexRoutePattern.Parse("^(a+)+$").Match("aaaa", prefix: false));

    [Theory]
    [InlineData("(")]
    [InlineData("a)(b")]
    [InlineData("[a-")]
    [InlineData("(?<1a>x)")]
    [InlineData(@"\")]
    public void Parse_InvalidRegex_ThrowsNamingThePattern(string pattern)
    {
        var error = Assert.Throws<ArgumentException>(() => RegexRoutePattern.Parse(pattern));

        Assert.StartsWith($"Invalid route regex '{pattern}': ", error.Message, StringComparison.Ordinal);
        Assert.Equal("pattern", error.ParamName);
    }

    [Fact]
    public void Parse_Pattern_KeepsTheText()
    {
        var route = RegexRoutePattern.Parse(@"^ws/(?P<room>\w+)/$");

        Assert.Equal(@"^ws/(?P<room>\w+)/$", route.Pattern);
        Assert.Equal(@"^ws/(?P<room>\w+)/$", route.ToString());
    }

    [Fact]
    public void Parse_Null_Throws() =>
        Assert.Throws<ArgumentNullException>(() => RegexRoutePattern.Parse(null!));

    [Fact]
    public void Match_NullPath_Throws() =>
        Assert.Throws<ArgumentNullException>(() => RegexRoutePattern.Parse("x").Match(null!, prefix: true));
}
