using System.Diagnostics;
using Switchboard.Routing.Templates;
using static Switchboard.Routing.Tests.Templates.RouteMatchText;

namespace Switchboard.Routing.Tests.Templates;

public sealed class RouteTemplateTests
{
    private const string None = NoMatch;

    [Theory]
    [InlineData("ws/chat/", "ws/chat/", "")]
    [InlineData("ws/chat/", "ws/chat", None)]
    [InlineData("ws/chat", "ws/chat/", None)]
    [InlineData("ws/chat", "ws/chat", "")]
    [InlineData("ws/chat", "ws/cha", None)]
    [InlineData("ws/chat", "ws/chats", None)]
    [InlineData("ws/chat", "WS/Chat", "")]
    [InlineData("Ws/CHAT/", "ws/chat/", "")]
    [InlineData("", "", "")]
    [InlineData("", "x", None)]
    [InlineData("/", "", "")]
    [InlineData("/ws/chat/", "ws/chat/", "")]
    [InlineData("~/ws/chat/", "ws/chat/", "")]
    [InlineData("a.b+c(d)$", "a.b+c(d)$", "")]
    [InlineData("a.b", "axb", None)]
    [InlineData("a{{b}}/{x}", "a{b}/1", "x=1")]
    public void Match_Literals_MatchWholePathCaseInsensitively(string template, string path, string expected) =>
        Assert.Equal(expected, Values(RouteTemplate.Parse(template).Match(path, prefix: false)));

    [Theory]
    [InlineData("ws/chat/{room}/", "ws/chat/lobby/", "room=lobby")]
    [InlineData("ws/chat/{room}/", "ws/chat/Lobby/", "room=Lobby")]
    [InlineData("ws/chat/{room}/", "ws/chat/caf\u00e9 au lait/", "room=caf\u00e9 au lait")]
    [InlineData("ws/chat/{room}/", "ws/chat//", None)]
    [InlineData("ws/chat/{room}/", "ws/chat/a/b/", None)]
    [InlineData("ws/chat/{room}/", "ws/chat/lobby", None)]
    [InlineData("{a}/{b}", "x/y", "a=x, b=y")]
    [InlineData("{b}/{a}", "x/y", "b=x, a=y")]
    [InlineData("{a}", "", None)]
    public void Match_SegmentParameters_CaptureOneNonEmptySegment(string template, string path, string expected) =>
        Assert.Equal(expected, Values(RouteTemplate.Parse(template).Match(path, prefix: false)));

    [Theory]
    [InlineData("files/{name}.{ext}", "files/a.txt", "name=a, ext=txt")]
    [InlineData("files/{name}.{ext}", "files/archive.tar.gz", "name=archive.tar, ext=gz")]
    [InlineData("files/{name}.{ext}", "files/noext", None)]
    [InlineData("files/{name}.{ext}", "files/.txt", None)]
    [InlineData("files/{name}.{ext}", "files/a.", None)]
    [InlineData("{a}-{b}-{c}", "1-2-3-4", "a=1-2, b=3, c=4")]
    [InlineData("v{major}.{minor}/x", "V2.1/X", "major=2, minor=1")]
    [InlineData("page-{n:int}", "page-3", "n=3:Int32")]
    [InlineData("page-{n:int}", "page-x", None)]
    public void Match_ParametersSharingASegment_SplitAtTheLastLiteral(string template, string path, string expected) =>
        Assert.Equal(expected, Values(RouteTemplate.Parse(template).Match(path, prefix: false)));

    [Theory]
    [InlineData("{id:int}", "42", "id=42:Int32")]
    [InlineData("{id:int}", "-7", "id=-7:Int32")]
    [InlineData("{id:int}", "+7", "id=7:Int32")]
    [InlineData("{id:int}", "abc", None)]
    [InlineData("{id:int}", "2147483648", None)]
    [InlineData("{id:int}", "1.5", None)]
    [InlineData("{id:int}", " 5", None)]
    [InlineData("{id:long}", "2147483648", "id=2147483648:Int64")]
    [InlineData("{id:long}", "9223372036854775808", None)]
    [InlineData("{id:guid}", "0f8fad5b-d9cb-469f-a165-70867728950e", "id=0f8fad5b-d9cb-469f-a165-70867728950e:Guid")]
    [InlineData("{id:guid}", "0f8fad5bd9cb469fa16570867728950e", "id=0f8fad5b-d9cb-469f-a165-70867728950e:Guid")]
    [InlineData("{id:guid}", "not-a-guid", None)]
    [InlineData("{on:bool}", "true", "on=True:Boolean")]
    [InlineData("{on:bool}", "FALSE", "on=False:Boolean")]
    [InlineData("{on:bool}", "yes", None)]
    [InlineData("{x:double}", "1.5", "x=1.5:Double")]
    [InlineData("{x:double}", "-2e3", "x=-2000:Double")]
    [InlineData("{x:double}", "1,5", None)]
    [InlineData("{x:double}", "NaN", None)]
    [InlineData("{x:double}", "Infinity", None)]
    [InlineData("{x:decimal}", "10.25", "x=10.25:Decimal")]
    [InlineData("{x:decimal}", "ten", None)]
    [InlineData("{id:INT}", "5", "id=5:Int32")]
    public void Match_TypeConstraints_TypeTheValueOrRejectIt(string template, string path, string expected) =>
        Assert.Equal(expected, Values(RouteTemplate.Parse(template).Match(path, prefix: false)));

    [Theory]
    [InlineData("{x:alpha}", "abcXYZ", "x=abcXYZ")]
    [InlineData("{x:alpha}", "abc1", None)]
    [InlineData("{x:alpha}", "\u00e9t\u00e9", None)]
    [InlineData("{x:minlength(3)}", "abc", "x=abc")]
    [InlineData("{x:minlength(3)}", "ab", None)]
    [InlineData("{x:maxlength(3)}", "abc", "x=abc")]
    [InlineData("{x:maxlength(3)}", "abcd", None)]
    [InlineData("{x:length(2)}", "ab", "x=ab")]
    [InlineData("{x:length(2)}", "abc", None)]
    [InlineData("{x:length(2,3)}", "abc", "x=abc")]
    [InlineData("{x:length(2, 3)}", "a", None)]
    [InlineData("{x:length(2,3)}", "abcd", None)]
    [InlineData("{x:min(10)}", "10", "x=10")]
    [InlineData("{x:min(10)}", "9", None)]
    [InlineData("{x:min(10)}", "ten", None)]
    [InlineData("{x:max(10)}", "10", "x=10")]
    [InlineData("{x:max(10)}", "11", None)]
    [InlineData("{x:range(1,3)}", "2", "x=2")]
    [InlineData("{x:range(1,3)}", "0", None)]
    [InlineData("{x:range(1,3)}", "4", None)]
    [InlineData("{x:range(-3,-1)}", "-2", "x=-2")]
    [InlineData(@"{x:regex(^[a-z]{{2}}\d$)}", "ab1", "x=ab1")]
    [InlineData(@"{x:regex(^[a-z]{{2}}\d$)}", "AB1", "x=AB1")]
    [InlineData(@"{x:regex(^[a-z]{{2}}\d$)}", "abc1", None)]
    [InlineData("{x:regex(b)}", "abc", "x=abc")]
    [InlineData("{x:regex(^(a|b)+$)}", "abba", "x=abba")]
    [InlineData(@"{x:regex(^\(\d\)$)}", "(1)", "x=(1)")]
    public void Match_CheckConstraints_AcceptOrRejectTheText(string template, string path, string expected) =>
        Assert.Equal(expected, Values(RouteTemplate.Parse(template).Match(path, prefix: false)));

    [Theory]
    [InlineData("{id:int:min(1)}", "1", "id=1:Int32")]
    [InlineData("{id:int:min(1)}", "0", None)]
    [InlineData("{id:int:min(1)}", "abc", None)]
    [InlineData("{id:min(1):int}", "5", "id=5:Int32")]
    [InlineData("{id:int:range(1,100)}", "100", "id=100:Int32")]
    [InlineData("{id:int:range(1,100)}", "101", None)]
    [InlineData("{code:alpha:length(3)}", "abc", "code=abc")]
    [InlineData("{code:alpha:length(3)}", "ab1", None)]
    public void Match_ChainedConstraints_MustAllAccept(string template, string path, string expected) =>
        Assert.Equal(expected, Values(RouteTemplate.Parse(template).Match(path, prefix: false)));

    [Theory]
    [InlineData("chat/{room?}", "chat", "")]
    [InlineData("chat/{room?}", "chat/lobby", "room=lobby")]
    [InlineData("chat/{room?}", "chat/", None)]
    [InlineData("chat/{room?}", "chat/a/b", None)]
    [InlineData("chat/{room?}/", "chat/", "")]
    [InlineData("chat/{room?}/", "chat/lobby/", "room=lobby")]
    [InlineData("chat/{room?}/", "chat", None)]
    [InlineData("{page?}", "", "")]
    [InlineData("{page?}", "3", "page=3")]
    [InlineData("{id:int?}", "7", "id=7:Int32")]
    [InlineData("{id:int?}", "", "")]
    [InlineData("{id:int?}", "x", None)]
    [InlineData("files/{name}.{ext?}", "files/readme", "name=readme")]
    [InlineData("files/{name}.{ext?}", "files/readme.txt", "name=readme, ext=txt")]
    [InlineData("files/{name}.{ext?}", "files/a.tar.gz", "name=a.tar, ext=gz")]
    [InlineData("files/{name}.{ext?}", "files/", None)]
    public void Match_OptionalParameter_MayBeAbsentAndIsThenLeftOut(string template, string path, string expected) =>
        Assert.Equal(expected, Values(RouteTemplate.Parse(template).Match(path, prefix: false)));

    [Theory]
    [InlineData("docs/{lang=en}", "docs", "lang=en")]
    [InlineData("docs/{lang=en}", "docs/fr", "lang=fr")]
    [InlineData("docs/{page:int=1}", "docs", "page=1:Int32")]
    [InlineData("docs/{page:int=1}", "docs/5", "page=5:Int32")]
    [InlineData("docs/{page:int=1}", "docs/x", None)]
    [InlineData("{controller=home}/{action=index}/{id?}", "", "controller=home, action=index")]
    [InlineData("{controller=home}/{action=index}/{id?}", "shop", "controller=shop, action=index")]
    [InlineData("{controller=home}/{action=index}/{id?}", "shop/list", "controller=shop, action=list")]
    [InlineData("{controller=home}/{action=index}/{id?}", "shop/list/5", "controller=shop, action=list, id=5")]
    [InlineData("{c=home}/{a=index}/", "", "c=home, a=index")]
    [InlineData("{c=home}/{a=index}/", "shop/", "c=shop, a=index")]
    [InlineData("{c=home}/{a=index}/", "shop/list/", "c=shop, a=list")]
    [InlineData("{c=home}/{a=index}/", "shop", None)]
    [InlineData("{a=x}/b", "b", None)]
    [InlineData("{a=x}/b", "q/b", "a=q")]
    [InlineData("docs/{q=a b/c}", "docs", "q=a b/c")]
    [InlineData("docs/{q=}", "docs", "q=")]
    public void Match_DefaultValue_IsUsedWhenTheSegmentIsAbsent(string template, string path, string expected) =>
        Assert.Equal(expected, Values(RouteTemplate.Parse(template).Match(path, prefix: false)));

    [Theory]
    [InlineData("files/{*path}", "files/a/b/c.txt", "path=a/b/c.txt")]
    [InlineData("files/{**path}", "files/a/b/c.txt", "path=a/b/c.txt")]
    [InlineData("files/{*path}", "files/a//b/", "path=a//b/")]
    [InlineData("files/{*path}", "files", "")]
    [InlineData("files/{*path}", "files/", "")]
    [InlineData("files/{*path}", "filesx", None)]
    [InlineData("files/{*path=index.html}", "files", "path=index.html")]
    [InlineData("files/{*path=index.html}", "files/", "path=index.html")]
    [InlineData("files/{*path=index.html}", "files/a.txt", "path=a.txt")]
    [InlineData("{*all}", "", "")]
    [InlineData("{*all}", "a/b", "all=a/b")]
    [InlineData("{*all}", "line\nbreak/x", "all=line\nbreak/x")]
    [InlineData("ws/{*rest:minlength(3)}", "ws/ab", None)]
    [InlineData("ws/{*rest:minlength(3)}", "ws/a/b", "rest=a/b")]
    public void Match_CatchAll_TakesTheRemainderIncludingSlashes(string template, string path, string expected) =>
        Assert.Equal(expected, Values(RouteTemplate.Parse(template).Match(path, prefix: false)));

    [Theory]
    [InlineData("ws", "ws/chat/", 2, "")]
    [InlineData("ws/", "ws/chat/", 3, "")]
    [InlineData("WS", "ws/x", 2, "")]
    [InlineData("ws", "ws", 2, "")]
    [InlineData("ws", "wsx/chat", -1, "")]
    [InlineData("ws/", "ws", -1, "")]
    [InlineData("ws/chat", "ws/chatroom/", -1, "")]
    [InlineData("", "anything/here", 0, "")]
    [InlineData("", "", 0, "")]
    [InlineData("ws/{room}", "ws/lobby/messages", 8, "room=lobby")]
    [InlineData("ws/{room}/", "ws/lobby/messages", 9, "room=lobby")]
    [InlineData("ws/{id:int}", "ws/12/x", 5, "id=12:Int32")]
    [InlineData("ws/{id:int}", "ws/12x/x", -1, "")]
    [InlineData("files/{*path}", "files/a/b", 9, "path=a/b")]
    [InlineData("chat/{room?}", "chat/", 4, "")]
    [InlineData("chat/{room?}", "chat/lobby/x", 10, "room=lobby")]
    [InlineData("{a}.{b}", "x.y.z/w", 5, "a=x.y, b=z")]
    [InlineData("{lang=en}/", "docs", 0, "lang=en")]
    [InlineData("{lang=en}/", "fr/docs", 3, "lang=fr")]
    public void Match_Prefix_StopsAtASlashBoundaryAndReportsConsumed(string template, string path, int consumed, string values)
    {
        var match = RouteTemplate.Parse(template).Match(path, prefix: true);

        if (consumed < 0)
        {
            Assert.Null(match);
            return;
        }

        Assert.NotNull(match);
        Assert.Equal(consumed, match.Consumed);
        Assert.Equal(values, Values(match));
        Assert.Empty(match.Args);
    }

    [Fact]
    public void Match_WholePath_ConsumesAllOfIt()
    {
        var match = RouteTemplate.Parse("ws/chat/{room}/").Match("ws/chat/lobby/", prefix: false);

        Assert.NotNull(match);
        Assert.Equal("ws/chat/lobby/".Length, match.Consumed);
    }

    [Fact]
    public void Match_TypedValue_IsABoxedNumberNotAString()
    {
        var match = RouteTemplate.Parse("rooms/{id:int}/{name}").Match("rooms/42/Lobby", prefix: false);

        Assert.NotNull(match);
        Assert.Equal(new KeyValuePair<string, object>[] { new("id", 42), new("name", "Lobby") }, match.Values);
        Assert.IsType<int>(match.Values[0].Value);
    }

    [Fact]
    public void Match_CatastrophicRegexConstraint_TimesOutAsNoMatch()
    {
        var route = RouteTemplate.Parse("{x:regex(^(a+)+$)}");
        var watch = Stopwatch.StartNew();

        var match = route.Match(new string('a', 40) + "!", prefix: false);

        Assert.Null(match);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Match_NullPath_Throws() =>
        Assert.Throws<ArgumentNullException>(() => RouteTemplate.Parse("x").Match(null!, prefix: false));

    [Fact]
    public void Parse_Template_KeepsTheTextAndListsParameterNamesInOrder()
    {
        var route = RouteTemplate.Parse("/{controller}/{action:alpha=index}/{*rest}");

        Assert.Equal("/{controller}/{action:alpha=index}/{*rest}", route.Template);
        Assert.Equal("/{controller}/{action:alpha=index}/{*rest}", route.ToString());
        Assert.Equal(new[] { "controller", "action", "rest" }, route.ParameterNames);
    }

    [Fact]
    public void Parse_LiteralTemplate_HasNoParameters() =>
        Assert.Empty(RouteTemplate.Parse("ws/chat/").ParameterNames);

    [Fact]
    public void Parse_Null_Throws() =>
        Assert.Throws<ArgumentNullException>(() => RouteTemplate.Parse(null!));

    [Theory]
    [InlineData("ws/{room", "the parameter starting at position 3 has no closing '}'")]
    [InlineData("ws/room}", "the '}' at position 7 has no matching '{'")]
    [InlineData("ws/{a{b}", "the parameter starting at position 3 contains a '{'")]
    [InlineData("{}", "the parameter '{}' has an empty name")]
    [InlineData("{:int}", "the parameter '{:int}' has an empty name")]
    [InlineData("{*}", "the parameter '{*}' has an empty name")]
    [InlineData("{?}", "the parameter '{?}' has an empty name")]
    [InlineData("{=x}", "the parameter '{=x}' has an empty name")]
    [InlineData("{a b}", "the parameter name 'a b' contains ' '")]
    [InlineData("{a/b}", "the parameter name 'a/b' contains '/'")]
    [InlineData("{a*}", "the parameter name 'a*' contains '*'")]
    [InlineData("{***a}", "the parameter name '*a' contains '*'")]
    [InlineData("{a}/{A}", "the parameter name 'A' appears more than once")]
    [InlineData("{id}/x/{id:int}", "the parameter name 'id' appears more than once")]
    [InlineData("{id:foo}", "parameter 'id' has an unknown constraint 'foo'. Known constraints: int, long")]
    [InlineData("{id:datetime}", "parameter 'id' has an unknown constraint 'datetime'")]
    [InlineData("{id:}", "the parameter 'id' has an empty constraint")]
    [InlineData("{id::int}", "the parameter 'id' has an empty constraint")]
    [InlineData("{id:int(3)}", "the constraint 'int' of parameter 'id' takes no arguments, but was given '(3)'")]
    [InlineData("{id:min}", "the constraint 'min' of parameter 'id' needs 1 argument(s), but was given 'min'")]
    [InlineData("{id:min()}", "the constraint 'min' of parameter 'id' needs 1 argument(s)")]
    [InlineData("{id:min(x)}", "the constraint 'min(x)' of parameter 'id' needs integer arguments; 'x' is not one")]
    [InlineData("{id:range(1)}", "the constraint 'range' of parameter 'id' needs 2 argument(s)")]
    [InlineData("{id:length(1,2,3)}", "the constraint 'length' of parameter 'id' needs 1 or 2 argument(s)")]
    [InlineData("{id:minlength(-1)}", "needs non-negative integer arguments; '-1' is not one")]
    [InlineData("{id:range(5,1)}", "the constraint 'range(5,1)' of parameter 'id' has its minimum 5 above its maximum 1")]
    [InlineData("{id:length(3,2)}", "has its minimum 3 above its maximum 2")]
    [InlineData("{id:regex(()}", "the constraint 'regex' of parameter 'id' has no closing ')'")]
    [InlineData("{id:regex([)}", "the constraint 'regex([)' of parameter 'id' is not a valid regular expression")]
    [InlineData("{id:regex()}", "the constraint 'regex' of parameter 'id' needs a regular expression")]
    [InlineData("{id:regex(a)x}", "the constraint 'regex(a)' of parameter 'id' is followed by 'x'")]
    [InlineData("{id:int:long}", "the parameter 'id' has more than one type constraint (int, long)")]
    [InlineData("{id:int=abc}", "the default value 'abc' of parameter 'id' does not satisfy its constraints (int)")]
    [InlineData("{id:minlength(3)=ab}", "the default value 'ab' of parameter 'id' does not satisfy its constraints (minlength(3))")]
    [InlineData("{*rest}/more", "the catch-all parameter 'rest' must be the last part of the template")]
    [InlineData("{**rest}/", "the catch-all parameter 'rest' must be the last part of the template")]
    [InlineData("files/x{*rest}", "the catch-all parameter 'rest' must be alone in its segment")]
    [InlineData("{*rest?}", "the catch-all parameter 'rest' cannot be marked optional")]
    [InlineData("{id?}/more", "the optional parameter 'id' must be the last part of the template")]
    [InlineData("a/{id?}/b/", "the optional parameter 'id' must be the last part of the template")]
    [InlineData("{id?}.txt", "the optional parameter 'id' must be the last part of the template")]
    [InlineData("{a}-{b?}", "the optional parameter 'b' shares its segment with other text, so it must follow a '.'")]
    [InlineData(".{b?}", "the optional parameter 'b' shares its segment with other text, so it must follow a '.'")]
    [InlineData("{id?x}", "in '{id?x}' the '?' that makes 'id' optional must be the last character of the parameter")]
    [InlineData("{id:int?=5}", "the '?' that makes 'id' optional must be the last character")]
    [InlineData("{id=5?}", "the parameter 'id' cannot be both optional ('?') and have a default value")]
    [InlineData("a//b", "it has an empty segment: '/' cannot appear twice in a row")]
    [InlineData("//a", "it has an empty segment")]
    [InlineData("{a}{b}", "the parameters 'a' and '{b}' must be separated by '/' or by literal text")]
    public void Parse_MalformedTemplate_ThrowsWithAPreciseMessage(string template, string detail)
    {
        var error = Assert.Throws<ArgumentException>(() => RouteTemplate.Parse(template));

        Assert.StartsWith($"Invalid route template '{template}': ", error.Message, StringComparison.Ordinal);
        Assert.Contains(detail, error.Message, StringComparison.Ordinal);
        Assert.Equal("template", error.ParamName);
    }
}
