using Switchboard.Actors.Consumers;

namespace Switchboard.Actors.Tests.Consumers;

/// <summary>How a consumer's <c>Groups</c> are read at connect: distinct, in order, at most one past the limit.</summary>
public sealed class DistinctGroupsTests
{
    [Fact]
    public void DistinctGroups_FewWithDuplicates_KeepsTheFirstOfEachInOrder() =>
        Assert.Equal(["b", "a", "c"], WebSocketConsumer.DistinctGroups(["b", "a", "b", "c", "a"], 0));

    [Fact]
    public void DistinctGroups_ManyWithDuplicatesPastTheScan_KeepsEachOnce()
    {
        var groups = Enumerable.Range(0, 40).Select(i => $"g{i % 13}");

        Assert.Equal(Enumerable.Range(0, 13).Select(i => $"g{i}"), WebSocketConsumer.DistinctGroups(groups, 0));
    }

    [Fact]
    public void DistinctGroups_IsOrdinal() =>
        Assert.Equal(["a", "A"], WebSocketConsumer.DistinctGroups(["a", "A"], 0));

    [Fact]
    public void DistinctGroups_Endless_StopsOnePastTheLimit()
    {
        static IEnumerable<string> Endless()
        {
            for (var i = 0; ; i++)
            {
                yield return $"g{i % 20}";
            }
        }

        Assert.Equal(11, WebSocketConsumer.DistinctGroups(Endless(), 10).Count);
    }

    [Fact]
    public void DistinctGroups_DuplicatesDoNotCountTowardsTheLimit() =>
        Assert.Equal(["a", "b"], WebSocketConsumer.DistinctGroups(["a", "a", "a", "b"], 2));
}
