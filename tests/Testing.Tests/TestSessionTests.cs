namespace Switchboard.Testing.Tests;

public sealed class TestSessionTests
{
    [Fact]
    public void Constructor_InitialValues_AreReadableButNotSaved()
    {
        var session = new TestSession([new("cart", "3 items")]);

        Assert.Equal("3 items", session.Get("cart"));
        Assert.Equal(["cart"], session.Keys);
        Assert.Empty(session.Saved);
        Assert.Equal(0, session.SaveCount);
    }

    [Fact]
    public async Task SaveAsync_SnapshotsTheValues_LaterChangesDoNotLeakIntoSaved()
    {
        var session = new TestSession();
        session.Set("a", "1");
        await session.SaveAsync();

        session.Set("a", "2");
        session.Set("b", "x");

        Assert.Equal(new Dictionary<string, string> { ["a"] = "1" }, session.Saved);
        Assert.Equal(1, session.SaveCount);
    }

    [Fact]
    public void RemoveAndClear_RemoveKeys()
    {
        var session = new TestSession([new("a", "1"), new("b", "2"), new("c", "3")]);

        session.Remove("a");
        session.Remove("missing");
        Assert.Null(session.Get("a"));
        Assert.Equal(2, session.Keys.Count());

        session.Clear();
        Assert.Empty(session.Keys);
    }

    [Fact]
    public void Id_IsUniquePerSession()
    {
        Assert.NotEqual(new TestSession().Id, new TestSession().Id);
    }
}
