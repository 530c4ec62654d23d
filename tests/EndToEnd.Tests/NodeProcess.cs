using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Switchboard.EndToEnd.Tests;

/// <summary>
/// A chat-sample node in its own process, started with the README's command-line options, so that a test can kill it
/// with SIGKILL. Its output is kept for the failure message.
/// </summary>
public sealed class NodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private NodeProcess(Process process, int httpPort, int akkaPort)
    {
        _process = process;
        HttpPort = httpPort;
        AkkaPort = akkaPort;
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int HttpPort { get; }

    public int AkkaPort { get; }

    public string AkkaAddress => $"akka.tcp://switchboard@127.0.0.1:{AkkaPort}";

    public Uri WebSocketAddress => new($"ws://127.0.0.1:{HttpPort}/");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output.TakeLast(60));
            }
        }
    }

    public static NodeProcess Start(string? seed)
    {
        var (httpPort, akkaPort) = (FreePort(), FreePort());
        var dll = Path.Combine(AppContext.BaseDirectory, "Switchboard.Samples.Chat.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { dll, "--urls", $"http://127.0.0.1:{httpPort}", "--akka-port", akkaPort.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AKKA_SEEDS"] = seed ?? "";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        return new NodeProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."), httpPort, akkaPort);
    }

    /// <summary>Waits until the node answers HTTP.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Node on port {HttpPort} exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{HttpPort}/chat/"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Busy starting.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Node on port {HttpPort} did not answer within {timeout}:\n{Output}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>SIGKILL: the process dies at once, with no leave, no close frames.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
