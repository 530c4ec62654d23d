using System.Text.RegularExpressions;
using Switchboard.Actors.Layers;

namespace Switchboard.Actors.Tests.Layers;

/// <summary>The name rules, checked against Channels' own regular expressions (what the checks replaced).</summary>
public sealed class ChannelNamesTests
{
    private static readonly Regex ChannelsChannel = new(@"^[a-zA-Z0-9\-_.]+(![a-zA-Z0-9\-_.]*)?\z", RegexOptions.CultureInvariant);
    private static readonly Regex ChannelsGroup = new(@"^[a-zA-Z0-9\-_.]+\z", RegexOptions.CultureInvariant);

    public static TheoryData<string> Names { get; } =
    [
        "a", "chat_room-1.x", "specific.abc!", "specific.abc!def", "!", "!abc", "abc!!", "a!b!c", "a b", "a\n", "a\nb",
        "caf\u00e9", "\u0661", "A-Z_0.9", "x/y", "x:y", "-", ".", "_", "a!b c", "a!\u00e9", new string('z', 99),
    ];

    [Theory]
    [MemberData(nameof(Names))]
    public void IsValidChannel_AnyName_AgreesWithChannelsPattern(string name) =>
        Assert.Equal(name.Length < ChannelNames.MaxLength && ChannelsChannel.IsMatch(name), ChannelNames.IsValidChannel(name));

    [Theory]
    [MemberData(nameof(Names))]
    public void IsValidGroup_AnyName_AgreesWithChannelsPattern(string name) =>
        Assert.Equal(name.Length < ChannelNames.MaxLength && ChannelsGroup.IsMatch(name), ChannelNames.IsValidGroup(name));

    [Fact]
    public void IsValid_RandomNames_AgreeWithChannelsPatterns()
    {
        const string alphabet = "aZ09-_.!! /:\u00e9\n";
        var random = new Random(6);
        for (var i = 0; i < 20_000; i++)
        {
            var name = new string(Enumerable.Range(0, random.Next(0, 8)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            Assert.True(ChannelsChannel.IsMatch(name) == ChannelNames.IsValidChannel(name), $"channel '{name}'");
            Assert.True(ChannelsGroup.IsMatch(name) == ChannelNames.IsValidGroup(name), $"group '{name}'");
        }
    }

    [Fact]
    public void IsValid_TooLongOrNull_IsFalse()
    {
        Assert.False(ChannelNames.IsValidChannel(new string('a', ChannelNames.MaxLength)));
        Assert.False(ChannelNames.IsValidGroup(new string('a', ChannelNames.MaxLength)));
        Assert.False(ChannelNames.IsValidChannel(null));
        Assert.False(ChannelNames.IsValidGroup(null));
    }

    [Fact]
    public void RequireGroup_ValidName_AllocatesNothing()
    {
        ChannelNames.RequireGroup("chat_warm-up");
        ChannelNames.RequireChannel("specific.warm!up");

        var before = GC.GetAllocatedBytesForCurrentThread();
        ChannelNames.RequireGroup("chat_room-1");
        ChannelNames.RequireChannel("specific.node!abcdef");
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
