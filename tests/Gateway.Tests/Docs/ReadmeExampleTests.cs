using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Switchboard.Gateway.Tests.Support;

namespace Switchboard.Gateway.Tests.Docs;

/// <summary>
/// The README's example, run as it is written: its Program (with <c>--urls</c> on a free loopback port) serves the chat
/// room to real clients, and a message sent to the room reaches every member, the sender included.
/// </summary>
public sealed class ReadmeExampleTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Readme_Program_ServesItsChatRoomToRealClients()
    {
        // No AllowedHosts, as a first run of the example has: OriginValidator.AllowedHosts lets in the local machine only.
        using var program = RunningProgram.Start(Readme.Program.Run, ["--urls", "http://127.0.0.1:0"]);
        var address = new Uri((await program.StartedAsync()).Replace("http://", "ws://", StringComparison.Ordinal));

        // OriginValidator.AllowedHosts: an origin that is not an allowed host is refused (ASP.NET Core's "*" for an unset
        // AllowedHosts is not taken as a choice to allow every origin).
        Assert.Equal(403, await WebSocketClient.HandshakeStatusAsync(address, "ws/chat/lobby/", o => o.SetRequestHeader("Origin", "http://evil.example")));
        await using var alice = await WebSocketClient.ConnectAsync(address, "ws/chat/lobby/", o => o.SetRequestHeader("Origin", "http://localhost"));
        await using var bob = await WebSocketClient.ConnectAsync(address, "ws/chat/lobby/", o => o.SetRequestHeader("Origin", "http://localhost"));
        await using var elsewhere = await WebSocketClient.ConnectAsync(address, "ws/chat/kitchen/", o => o.SetRequestHeader("Origin", "http://localhost"));

        await alice.SendTextAsync("""{"message": "hello, lobby"}""");

        foreach (var member in new[] { alice, bob })
        {
            using var received = JsonDocument.Parse((await member.ReceiveTextAsync())!);
            Assert.Equal("hello, lobby", received.RootElement.GetProperty("message").GetString());
        }

        Assert.True(await elsewhere.ReceivesNothingAsync(TimeSpan.FromMilliseconds(300)));
        await program.StopAsync();
    }

    /// <summary>
    /// A program's entry point run on a thread of its own, with the host it builds caught through the hosting
    /// diagnostics (as ASP.NET Core's WebApplicationFactory does) so that the test can find its address and stop it.
    /// </summary>
    private sealed class RunningProgram : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly TaskCompletionSource<IHost> _built = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<IDisposable> _subscriptions = [];
        private readonly Thread _thread;

        private RunningProgram(Action<string[]> main, string[] args)
        {
            _thread = new Thread(() =>
            {
                try
                {
                    main(args);
                    _exited.TrySetResult();
                }
#pragma warning disable CA1031 // Whatever the program throws is the test's failure.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    _exited.TrySetException(e);
                    _built.TrySetException(e);
                }
            })
            { IsBackground = true, Name = "readme-program" };
            _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
        }

        public static RunningProgram Start(Action<string[]> main, string[] args)
        {
            var program = new RunningProgram(main, args);
            program._thread.Start();
            return program;
        }

        /// <summary>Waits for the host to start listening; returns its first address.</summary>
        public async Task<string> StartedAsync()
        {
            var host = await _built.Task.WaitAsync(Timeout);
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var registration = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() => started.TrySetResult());
            await Task.WhenAny(started.Task, _exited.Task).WaitAsync(Timeout);
            if (_exited.Task.IsCompleted)
            {
                await _exited.Task;
                throw new InvalidOperationException("The program ended before its host started.");
            }

            return host.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        }

        /// <summary>Stops the host the way Ctrl+C would and waits for the program to return.</summary>
        public async Task StopAsync()
        {
            var host = await _built.Task.WaitAsync(Timeout);
            host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
            await _exited.Task.WaitAsync(Timeout);
        }

        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == "Microsoft.Extensions.Hosting")
            {
                lock (_subscriptions)
                {
                    _subscriptions.Add(value.Subscribe(this));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            // Other tests build hosts at the same time: only the one built on the program's own thread is ours.
            if (value.Key == "HostBuilt" && value.Value is IHost host && Environment.CurrentManagedThreadId == _thread.ManagedThreadId)
            {
                _built.TrySetResult(host);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            if (_built.Task.IsCompletedSuccessfully && !_exited.Task.IsCompleted)
            {
                _built.Task.Result.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
                _thread.Join(Timeout);
            }

            lock (_subscriptions)
            {
                _subscriptions.ForEach(s => s.Dispose());
            }
        }
    }
}
