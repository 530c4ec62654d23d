using Switchboard.Actors.Consumers;
using Xunit.Abstractions;

namespace Switchboard.Actors.Tests.Consumers;

/// <summary>
/// switchboard.consumer.max-groups: a consumer's channel is in at most that many groups, however it joins them
/// (its Groups, or AddToGroupAsync called from its own code). One too many throws TooManyGroupsException.
/// </summary>
public sealed class ConsumerGroupLimitTests(ITestOutputHelper output) : ConsumerTestKit(output, "switchboard.consumer.max-groups = 3")
{
    [Fact]
    public async Task Groups_MoreThanTheLimit_FailsTheConnectBeforeJoiningAny()
    {
        await using var communicator = Communicator(Consumer.Of<DeclaredGroupsConsumer>(4));

        var error = await Assert.ThrowsAsync<TooManyGroupsException>(() => communicator.ConnectAsync(Timeout));

        Assert.Equal(3, error.Limit);
        Assert.Contains("switchboard.consumer.max-groups", error.Message, StringComparison.Ordinal);
        await using var member = await ConnectedAsync(Consumer.Of<JoiningConsumer>());
        await Layer.SendToGroupAsync("declared-0", new Note("nobody joined"));
        Assert.True(await member.ReceiveNothingAsync(Quiet));
    }

    [Fact]
    public async Task Groups_Endless_FailsInsteadOfReadingForEver()
    {
        await using var communicator = Communicator(Consumer.Of<EndlessGroupsConsumer>());

        await Assert.ThrowsAsync<TooManyGroupsException>(() => communicator.ConnectAsync(Timeout));
    }

    [Fact]
    public async Task Groups_ExactlyTheLimitWithDuplicates_AreJoined()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<DeclaredGroupsConsumer>(3));

        await Layer.SendToGroupAsync("declared-2", new Note("hello"));

        Assert.Equal("hello", (await communicator.ReceiveFromAsync(Timeout)).Text);
    }

    [Fact]
    public async Task AddToGroupAsync_FromConsumerCode_OneOverTheLimitThrows()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<JoiningConsumer>());
        foreach (var group in new[] { "a", "b", "c", "c" })
        {
            await communicator.SendToAsync($"join {group}");
            Assert.Equal($"joined {group}", (await communicator.ReceiveFromAsync(Timeout)).Text);
        }

        await communicator.SendToAsync("join d");

        Assert.Equal("refused d: 3", (await communicator.ReceiveFromAsync(Timeout)).Text);
    }

    [Fact]
    public async Task AddToGroupAsync_AfterLeavingOne_HasRoomAgain()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<JoiningConsumer>());
        foreach (var command in new[] { "join a", "join b", "join c", "leave b", "join d" })
        {
            await communicator.SendToAsync(command);
            Assert.StartsWith(command.Replace("join", "joined", StringComparison.Ordinal).Replace("leave", "left", StringComparison.Ordinal), (await communicator.ReceiveFromAsync(Timeout)).Text, StringComparison.Ordinal);
        }

        await Layer.SendToGroupAsync("d", new Note("in d"));
        Assert.Equal("in d", (await communicator.ReceiveFromAsync(Timeout)).Text);
    }

    [Fact]
    public async Task AddToGroupAsync_UnhandledTooMany_ClosesTheConnectionLikeAnyFailure()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<JoiningConsumer>());

        await communicator.SendToAsync("join-unchecked 4");

        await Assert.ThrowsAsync<TooManyGroupsException>(() => communicator.ReceiveFromAsync(Timeout));
    }

    public sealed record Note(string Text);

    /// <summary>Declares <c>count</c> groups (each listed twice).</summary>
    private sealed class DeclaredGroupsConsumer : WebSocketConsumer
    {
        private readonly int _count;

        public DeclaredGroupsConsumer(int count)
        {
            _count = count;
            Handle<Note>(n => SendAsync(n.Text));
        }

        protected override IEnumerable<string> Groups => Enumerable.Range(0, _count).SelectMany(i => new[] { $"declared-{i}", $"declared-{i}" });
    }

    private sealed class EndlessGroupsConsumer : WebSocketConsumer
    {
        protected override IEnumerable<string> Groups
        {
            get
            {
                for (var i = 0L; ; i++)
                {
                    yield return $"endless-{i}";
                }
            }
        }
    }

    /// <summary>"join G" (answers the refusal itself), "join-unchecked N" (lets the exception go), "leave G".</summary>
    private sealed class JoiningConsumer : WebSocketConsumer
    {
        public JoiningConsumer() => Handle<Note>(n => SendAsync(n.Text));

        protected override async Task OnReceiveAsync(string? text, byte[]? bytes)
        {
            var space = text!.IndexOf(' ', StringComparison.Ordinal);
            var (verb, argument) = (text[..space], text[(space + 1)..]);
            switch (verb)
            {
                case "join":
                    try
                    {
                        await ChannelLayer.AddToGroupAsync(argument, ChannelName);
                        await SendAsync($"joined {argument}");
                    }
                    catch (TooManyGroupsException e)
                    {
                        await SendAsync($"refused {argument}: {e.Limit}");
                    }

                    break;
                case "join-unchecked":
                    for (var i = 0; i < int.Parse(argument, System.Globalization.CultureInfo.InvariantCulture); i++)
                    {
                        await ChannelLayer.AddToGroupAsync($"unchecked-{i}", ChannelName);
                    }

                    break;
                case "leave":
                    await ChannelLayer.RemoveFromGroupAsync(argument, ChannelName);
                    await SendAsync($"left {argument}");
                    break;
            }
        }
    }
}
