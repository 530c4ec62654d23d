using Switchboard.Routing.Security;

namespace Switchboard.Routing.Tests.Security;

public sealed class OriginMatcherTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("not an origin")]
    [InlineData("https://example.com")]
    public void IsAllowed_Star_AllowsEverythingIncludingAMissingOrigin(string? origin)
    {
        Assert.True(OriginMatcher.IsAllowed(origin, ["*"]));
        Assert.True(OriginMatcher.IsAllowed(origin, ["example.org", "*"]));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("null")]
    public void IsAllowed_MissingOrNullOriginWithoutStar_IsRefused(string? origin)
    {
        Assert.False(OriginMatcher.IsAllowed(origin, ["example.com", ".example.com", "https://example.com", "null", ""]));
        Assert.False(OriginMatcher.IsAllowed(origin, []));
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("//example.com")]
    [InlineData("https://")]
    [InlineData("://example.com")]
    [InlineData("1http://example.com")]
    [InlineData("ht tp://example.com")]
    [InlineData("https://exa mple.com")]
    [InlineData("https://example..com")]
    [InlineData("https://.example.com")]
    [InlineData("http://example.com:99999")]
    [InlineData("http://example.com:8o")]
    [InlineData("http://[::1")]
    [InlineData("http://[nope]")]
    [InlineData("http://[::1]x")]
    [InlineData("https://*.example.com")]
    public void IsAllowed_UnparseableOrigin_IsRefused(string origin) =>
        Assert.False(OriginMatcher.IsAllowed(origin, ["example.com", ".example.com", "[::1]", "*.example.com", "https://example.com"]));

    [Theory]
    [InlineData("https://example.com", "https://example.com", true)]
    [InlineData("http://example.com", "https://example.com", false)]
    [InlineData("wss://example.com", "https://example.com", false)]
    [InlineData("https://example.com:443", "https://example.com", true)]
    [InlineData("https://example.com", "https://example.com:443", true)]
    [InlineData("https://example.com:8443", "https://example.com", false)]
    [InlineData("https://example.com", "https://example.com:8443", false)]
    [InlineData("http://example.com:8080", "http://example.com:8080", true)]
    [InlineData("http://example.com", "http://example.com:8080", false)]
    [InlineData("http://example.com:80", "http://example.com", true)]
    [InlineData("ws://example.com", "ws://example.com:80", true)]
    [InlineData("wss://example.com:443", "wss://example.com", true)]
    [InlineData("https://sub.example.com", "https://example.com", false)]
    [InlineData("https://example.com.evil.org", "https://example.com", false)]
    [InlineData("HTTPS://EXAMPLE.COM", "https://example.com", true)]
    [InlineData("https://example.com", "HTTPS://Example.COM", true)]
    [InlineData("chrome-extension://abcdef", "chrome-extension://abcdef", true)]
    [InlineData("chrome-extension://abcdef:1", "chrome-extension://abcdef", false)]
    [InlineData("https://example.com", "https://example.com/", true)]
    [InlineData("https://[::1]:8443", "https://[::1]:8443", true)]
    public void IsAllowed_PatternWithScheme_RequiresSchemeHostAndPort(string origin, string pattern, bool expected) =>
        Assert.Equal(expected, OriginMatcher.IsAllowed(origin, [pattern]));

    [Theory]
    [InlineData("http://example.com", true)]
    [InlineData("https://example.com", true)]
    [InlineData("https://example.com:8443", true)]
    [InlineData("wss://example.com", true)]
    [InlineData("chrome-extension://example.com", true)]
    [InlineData("https://sub.example.com", false)]
    [InlineData("https://notexample.com", false)]
    [InlineData("https://example.com.evil.org", false)]
    [InlineData("https://example.co", false)]
    public void IsAllowed_PatternWithoutScheme_MatchesTheHostWithAnySchemeAndPort(string origin, bool expected) =>
        Assert.Equal(expected, OriginMatcher.IsAllowed(origin, ["example.com"]));

    [Theory]
    [InlineData("http://example.com:8080", "example.com:8080", true)]
    [InlineData("https://example.com:8080", "example.com:8080", true)]
    [InlineData("ws://example.com:8080", "example.com:8080", true)]
    [InlineData("http://example.com:8081", "example.com:8080", false)]
    [InlineData("http://example.com", "example.com:8080", false)]
    [InlineData("http://other.com:8080", "example.com:8080", false)]
    [InlineData("http://localhost:8000", "localhost:8000", true)]
    [InlineData("http://localhost", "localhost:80", true)]
    [InlineData("https://localhost", "localhost:80", false)]
    [InlineData("https://localhost", "localhost:443", true)]
    [InlineData("chrome-extension://localhost", "localhost:80", false)]
    [InlineData("http://[::1]:8000", "[::1]:8000", true)]
    [InlineData("http://[::1]:8001", "[::1]:8000", false)]
    [InlineData("http://[::1]", "[::1]:8000", false)]
    [InlineData("http://[::1]", "[::1]:80", true)]
    [InlineData("http://127.0.0.1:8000", "127.0.0.1:8000", true)]
    public void IsAllowed_PatternWithHostAndPortButNoScheme_MatchesThatHostAndPort(string origin, string pattern, bool expected) =>
        Assert.Equal(expected, OriginMatcher.IsAllowed(origin, [pattern]));

    [Theory]
    [InlineData("https://example.com", ".example.com", true)]
    [InlineData("https://chat.example.com", ".example.com", true)]
    [InlineData("http://a.b.example.com:8080", ".example.com", true)]
    [InlineData("https://badexample.com", ".example.com", false)]
    [InlineData("https://example.com.evil.org", ".example.com", false)]
    [InlineData("https://example.org", ".example.com", false)]
    [InlineData("https://chat.example.com", "https://.example.com", true)]
    [InlineData("http://chat.example.com", "https://.example.com", false)]
    [InlineData("http://chat.example.com:8080", ".example.com:8080", true)]
    [InlineData("http://chat.example.com:8081", ".example.com:8080", false)]
    public void IsAllowed_LeadingDot_MatchesTheDomainAndEverySubdomain(string origin, string pattern, bool expected) =>
        Assert.Equal(expected, OriginMatcher.IsAllowed(origin, [pattern]));

    [Theory]
    [InlineData("https://Example.COM", "example.com", true)]
    [InlineData("https://example.com", "EXAMPLE.com", true)]
    [InlineData("https://CHAT.example.com", ".Example.Com", true)]
    [InlineData("https://xn--bcher-kva.example", "b\u00fccher.example", true)]
    [InlineData("https://b\u00fccher.example", "xn--bcher-kva.example", true)]
    [InlineData("https://B\u00dcCHER.example", "b\u00fccher.example", true)]
    public void IsAllowed_HostComparison_IgnoresCaseAndComparesPunycode(string origin, string pattern, bool expected) =>
        Assert.Equal(expected, OriginMatcher.IsAllowed(origin, [pattern]));

    [Theory]
    [InlineData("http://[::1]", "[::1]", true)]
    [InlineData("http://[::1]:8000", "[::1]", true)]
    [InlineData("http://[0:0:0:0:0:0:0:1]", "[::1]", true)]
    [InlineData("http://[::1]", "[0:0:0:0:0:0:0:1]", true)]
    [InlineData("http://[::1]", "::1", true)]
    [InlineData("http://[::2]", "[::1]", false)]
    [InlineData("http://[::1]", "http://[::1]", true)]
    [InlineData("http://[::1]", ".[::1]", false)]
    public void IsAllowed_IPv6Host_IsBracketedAndComparedAsAnAddress(string origin, string pattern, bool expected) =>
        Assert.Equal(expected, OriginMatcher.IsAllowed(origin, [pattern]));

    [Theory]
    [InlineData("https://chat.example.com")]
    [InlineData("https://example.com")]
    [InlineData("https://x.example.com:443")]
    public void IsAllowed_StarDotPattern_IsNotAWildcardAndMatchesNothing(string origin)
    {
        Assert.False(OriginMatcher.IsAllowed(origin, ["*.example.com"]));
        Assert.False(OriginMatcher.IsAllowed(origin, ["https://*.example.com"]));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("https://")]
    [InlineData("example.com:port")]
    [InlineData("exa mple.com")]
    [InlineData("1https://example.com")]
    [InlineData("**")]
    public void IsAllowed_UnparseablePattern_MatchesNothingWithoutThrowing(string pattern) =>
        Assert.False(OriginMatcher.IsAllowed("https://example.com", [pattern]));

    [Theory]
    [InlineData("https://example.com/some/path", "example.com", true)]
    [InlineData("https://example.com/", "https://example.com", true)]
    [InlineData("https://example.com?x=1", "example.com", true)]
    [InlineData("https://evil.com@example.com", "example.com", true)]
    [InlineData("https://evil.com@example.com", "evil.com", false)]
    [InlineData(" https://example.com ", "example.com", true)]
    [InlineData("https://example.com", " example.com ", true)]
    public void IsAllowed_OriginWithExtras_IsReadForItsSchemeHostAndPort(string origin, string pattern, bool expected) =>
        Assert.Equal(expected, OriginMatcher.IsAllowed(origin, [pattern]));

    [Fact]
    public void IsAllowed_SeveralPatterns_AllowsWhenAnyMatches()
    {
        string[] allowed = ["https://app.example.com", "localhost:8000", ".example.org"];

        Assert.True(OriginMatcher.IsAllowed("https://app.example.com", allowed));
        Assert.True(OriginMatcher.IsAllowed("http://localhost:8000", allowed));
        Assert.True(OriginMatcher.IsAllowed("https://www.example.org", allowed));
        Assert.False(OriginMatcher.IsAllowed("https://evil.com", allowed));
    }

    [Fact]
    public void IsAllowed_EmptyList_RefusesEveryOrigin() =>
        Assert.False(OriginMatcher.IsAllowed("https://example.com", []));

    [Fact]
    public void IsAllowed_NullList_Throws() =>
        Assert.Throws<ArgumentNullException>(() => OriginMatcher.IsAllowed("https://example.com", null!));
}
