using System.Globalization;
using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Actors.Consumers;
using Switchboard.Actors.Hosting;
using Switchboard.Routing;
using Switchboard.Testing;
using Xunit.Abstractions;

namespace Switchboard.Actors.Tests.Consumers;

/// <summary>
/// <c>Consumer.Of&lt;T&gt;()</c>: a fresh consumer per connection, built by constructor injection from the host's services
/// plus extra arguments, that reads its connection's scope and channel name from its hooks.
/// </summary>
public sealed class ConsumerOfTests(ITestOutputHelper output) : ConsumerTestKit(output)
{
    [Fact]
    public async Task ConsumerOf_ServiceInSwitchboardSetup_IsInjectedIntoTheConstructor()
    {
        await using var services = new ServiceCollection().AddSingleton<IGreeter>(new Greeter("Welcome")).BuildServiceProvider();
        var system = ActorSystem.Create("services", CreateSetup(null, new SwitchboardSetup { Services = services }));
        try
        {
            await using var communicator = new WebSocketCommunicator(system, Consumer.Of<GreetingConsumer>(), "/ws/");
            Assert.True((await communicator.ConnectAsync(Timeout)).Accepted);

            await communicator.SendToAsync("Ada");

            Assert.Equal("Welcome, Ada!", (await communicator.ReceiveFromAsync(Timeout)).Text);
        }
        finally
        {
            await system.Terminate().WaitAsync(Timeout);
        }
    }

    [Fact]
    public async Task ConsumerOf_ServiceAndExtraArgument_AreBothPassedToTheConstructor()
    {
        await using var services = new ServiceCollection().AddSingleton<IGreeter>(new Greeter("Hello")).BuildServiceProvider();
        var system = ActorSystem.Create("services", CreateSetup(null, new SwitchboardSetup { Services = services }));
        try
        {
            await using var communicator = new WebSocketCommunicator(system, Consumer.Of<GreetingConsumer>("?"), "/ws/");
            Assert.True((await communicator.ConnectAsync(Timeout)).Accepted);

            await communicator.SendToAsync("Grace");

            Assert.Equal("Hello, Grace?", (await communicator.ReceiveFromAsync(Timeout)).Text);
        }
        finally
        {
            await system.Terminate().WaitAsync(Timeout);
        }
    }

    [Fact]
    public async Task ConsumerOf_SameTypeWithOtherArgumentTypes_EachApplicationBuildsWithItsOwnArguments()
    {
        // The constructor factory is cached per consumer type: a second application of the same type with arguments of
        // other types must not reuse the first one's factory.
        await using var services = new ServiceCollection().AddSingleton<IGreeter>(new Greeter("Hi")).BuildServiceProvider();
        var system = ActorSystem.Create("services", CreateSetup(null, new SwitchboardSetup { Services = services }));
        try
        {
            foreach (var (application, expected) in new[]
            {
                (Consumer.Of<GreetingConsumer>(), "Hi, Ada!"),
                (Consumer.Of<GreetingConsumer>("?"), "Hi, Ada?"),
                (Consumer.Of<GreetingConsumer>(), "Hi, Ada!"),
            })
            {
                await using var communicator = new WebSocketCommunicator(system, application, "/ws/");
                Assert.True((await communicator.ConnectAsync(Timeout)).Accepted);

                await communicator.SendToAsync("Ada");

                Assert.Equal(expected, (await communicator.ReceiveFromAsync(Timeout)).Text);
            }
        }
        finally
        {
            await system.Terminate().WaitAsync(Timeout);
        }
    }

    [Fact]
    public async Task ConsumerOf_ExtraArguments_ArePassedToTheConstructor()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<ArgumentsConsumer>("room", 42));

        await communicator.SendToAsync("args?");

        Assert.Equal("room 42", (await communicator.ReceiveFromAsync(Timeout)).Text);
    }

    [Fact]
    public async Task ConsumerOf_EachConnection_GetsAFreshInstance()
    {
        var application = Consumer.Of<CountingConsumer>();
        await using var first = await ConnectedAsync(application);
        await first.SendToAsync("a");
        await first.SendToAsync("b");
        Assert.Equal("1", (await first.ReceiveFromAsync(Timeout)).Text);
        Assert.Equal("2", (await first.ReceiveFromAsync(Timeout)).Text);

        await using var second = await ConnectedAsync(application);
        await second.SendToAsync("a");

        Assert.Equal("1", (await second.ReceiveFromAsync(Timeout)).Text);
        await first.SendToAsync("c");
        Assert.Equal("3", (await first.ReceiveFromAsync(Timeout)).Text);
    }

    [Fact]
    public async Task Scope_ReadInAHook_HasThePathQueryStringAndHeaders()
    {
        var headers = new[] { KeyValuePair.Create("X-Client", "tests"), KeyValuePair.Create("Cookie", "theme=dark") };
        await using var communicator = new WebSocketCommunicator(Sys, Consumer.Of<ScopeConsumer>(), "/ws/caf%C3%A9/?page=2", headers);
        await communicator.ConnectAsync(Timeout);

        await communicator.SendToAsync("scope?");

        Assert.Equal("websocket /ws/café/ /ws/caf%C3%A9/ page=2 tests dark", (await communicator.ReceiveFromAsync(Timeout)).Text);
    }

    [Fact]
    public async Task Scope_UserSetOnTheCommunicator_IsTheScopesUser()
    {
        await using var communicator = Communicator(Consumer.Of<ScopeConsumer>()).WithUser("ada");
        await communicator.ConnectAsync(Timeout);

        await communicator.SendToAsync("user?");

        Assert.Equal("ada True", (await communicator.ReceiveFromAsync(Timeout)).Text);
    }

    [Fact]
    public async Task Scope_UrlRouteValues_AreReachableThroughUrlRoute()
    {
        var application = new UrlRouter { Routes.Path("ws/rooms/{room}/{id:int}/", Consumer.Of<ScopeConsumer>()) };
        await using var communicator = await ConnectedAsync(application, "/ws/rooms/lobby/42/");

        await communicator.SendToAsync("route?");

        Assert.Equal("lobby 42", (await communicator.ReceiveFromAsync(Timeout)).Text);
    }

    [Fact]
    public async Task ChannelName_ReadInAHook_IsAFreshInMemoryNamePerConnection()
    {
        await using var first = await ConnectedAsync(Consumer.Of<ScopeConsumer>());
        await using var second = await ConnectedAsync(Consumer.Of<ScopeConsumer>());

        await first.SendToAsync("channel?");
        await second.SendToAsync("channel?");
        var firstName = (await first.ReceiveFromAsync(Timeout)).Text!;
        var secondName = (await second.ReceiveFromAsync(Timeout)).Text!;

        Assert.Matches("^specific\\.inmemory![a-zA-Z]{12}$", firstName);
        Assert.NotEqual(firstName, secondName);
    }

    [Fact]
    public async Task ScopeAndChannelName_ReadInTheConstructor_ThrowWithAClearMessage()
    {
        await using var communicator = await ConnectedAsync(Consumer.Of<EagerConsumer>(TestActor));

        Assert.Equal(
            "The scope is set after construction: read it from PreStart or a hook, not from the constructor.",
            await ExpectMsgAsync<string>(Timeout));
        Assert.Equal(
            "The channel name is bound when the consumer starts: read it from a hook, not from the constructor.",
            await ExpectMsgAsync<string>(Timeout));
    }

    [Fact]
    public void ToString_NamesTheConsumerType() =>
        Assert.Equal("Consumer.Of<CountingConsumer>()", Consumer.Of<CountingConsumer>().ToString());

    public interface IGreeter
    {
        string Greet(string name);
    }

    private sealed class Greeter(string greeting) : IGreeter
    {
        public string Greet(string name) => $"{greeting}, {name}";
    }

    private sealed class GreetingConsumer(IGreeter greeter, string punctuation = "!") : WebSocketConsumer
    {
        protected override Task OnReceiveAsync(string? text, byte[]? bytes) => SendAsync(greeter.Greet(text!) + punctuation);
    }

    private sealed class ArgumentsConsumer(string name, int number) : WebSocketConsumer
    {
        protected override Task OnReceiveAsync(string? text, byte[]? bytes) => SendAsync($"{name} {number}");
    }

    private sealed class CountingConsumer : WebSocketConsumer
    {
        private int _frames;

        protected override Task OnReceiveAsync(string? text, byte[]? bytes) =>
            SendAsync((++_frames).ToString(CultureInfo.InvariantCulture));
    }

    private sealed class ScopeConsumer : WebSocketConsumer
    {
        protected override Task OnReceiveAsync(string? text, byte[]? bytes) => SendAsync(text switch
        {
            "scope?" => $"{Scope.Type} {Scope.Path} {Scope.RawPath} {Scope.QueryString} {Scope.GetHeader("x-client")} {Scope.Cookies["theme"]}",
            "user?" => $"{Scope.User.Identity?.Name} {Scope.User.Identity?.IsAuthenticated}",
            "route?" => $"{Scope.UrlRoute["room"]} {Scope.UrlRoute.Get<int>("id")}",
            "channel?" => ChannelName,
            _ => "?",
        });
    }

    private sealed class EagerConsumer : WebSocketConsumer
    {
        public EagerConsumer(IActorRef probe)
        {
            probe.Tell(Attempt(() => Scope.Path));
            probe.Tell(Attempt(() => ChannelName));
        }

        private static string Attempt(Func<string> read)
        {
            try
            {
                return read();
            }
            catch (InvalidOperationException e)
            {
                return e.Message;
            }
        }
    }
}
