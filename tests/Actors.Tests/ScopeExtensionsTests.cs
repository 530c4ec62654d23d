namespace Switchboard.Actors.Tests;

public sealed class ScopeExtensionsTests
{
    private sealed record Tenant(string Name);

    private sealed record Region(string Name);

    [Fact]
    public void Get_Empty_ReturnsNull()
    {
        Assert.Null(ScopeExtensions.Empty.Get<Tenant>());
        Assert.Equal(0, ScopeExtensions.Empty.Count);
    }

    [Fact]
    public void With_NewType_AddsAndLeavesTheOriginalUnchanged()
    {
        var one = ScopeExtensions.Empty.With(new Tenant("a"));
        var two = one.With(new Region("eu"));

        Assert.Equal(1, one.Count);
        Assert.Null(one.Get<Region>());
        Assert.Equal(2, two.Count);
        Assert.Equal(new Tenant("a"), two.Get<Tenant>());
        Assert.Equal(new Region("eu"), two.Get<Region>());
    }

    [Fact]
    public void With_SameType_ReplacesAndLeavesTheOriginalUnchanged()
    {
        var first = ScopeExtensions.Empty.With(new Tenant("a")).With(new Region("eu"));
        var second = first.With(new Tenant("b"));

        Assert.Equal(2, second.Count);
        Assert.Equal(new Tenant("b"), second.Get<Tenant>());
        Assert.Equal(new Region("eu"), second.Get<Region>());
        Assert.Equal(new Tenant("a"), first.Get<Tenant>());
    }

    [Fact]
    public void With_InterfaceTypeArgument_IsKeyedByTheTypeArgumentNotTheValuesType()
    {
        var bag = ScopeExtensions.Empty.With<IComparable>("text");

        Assert.Equal("text", bag.Get<IComparable>());
        Assert.Null(bag.Get<string>());
    }

    [Fact]
    public void WithMany_AddsNewKeysAndReplacesExistingOnesInOneBag()
    {
        var first = ScopeExtensions.Empty.With(new Tenant("a"));
        var second = first.With(new KeyValuePair<Type, object>(typeof(Region), new Region("eu")), new(typeof(Tenant), new Tenant("b")));

        Assert.Equal(2, second.Count);
        Assert.Equal(new Tenant("b"), second.Get<Tenant>());
        Assert.Equal(new Region("eu"), second.Get<Region>());
        Assert.Equal(1, first.Count);
        Assert.Equal(new Tenant("a"), first.Get<Tenant>());
    }

    [Fact]
    public void WithMany_AValueNotOfItsKeyType_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => ScopeExtensions.Empty.With(new KeyValuePair<Type, object>(typeof(Region), new Tenant("a"))));

        Assert.Contains(typeof(Region).ToString(), error.Message, StringComparison.Ordinal);
    }
}
