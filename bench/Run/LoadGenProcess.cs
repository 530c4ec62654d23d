using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Switchboard.Bench.LoadGen;

namespace Switchboard.Bench.Run;

/// <summary>
/// One load generator run as its own process (<c>dotnet Switchboard.Bench.LoadGen.dll --scenario idle --coordinate
/// --json ...</c>): its "connected N ERRORS" line, then, after <see cref="EchoAsync"/>, its result as JSON; its
/// progress lines go to a log file.
/// </summary>
internal sealed class LoadGenProcess : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };
    private readonly Process _process;
    private readonly TaskCompletionSource<(int Connected, long Errors)> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ScenarioResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reading;
    private readonly StreamWriter _log;

    private LoadGenProcess(Process process, StreamWriter log)
    {
        _process = process;
        _log = log;
        _process.ErrorDataReceived += (_, e) => Write(e.Data);
        _process.BeginErrorReadLine();
        _reading = Task.Run(ReadOutputAsync);
    }

    /// <summary>Completes with the connections held once the process has connected all it could.</summary>
    public Task<(int Connected, long Errors)> Connected => _connected.Task;

    /// <summary>Completes with the process's result once it has echoed and closed its connections.</summary>
    public Task<ScenarioResult> Result => _result.Task;

    public static LoadGenProcess Start(string assembly, IEnumerable<string> arguments, string logFile)
    {
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException($"{assembly} is not built; run bench/run.sh, which builds it in Release.", assembly);
        }

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {assembly}.");
        return new LoadGenProcess(process, log);
    }

    /// <summary>Tells the process to send its echo (it then closes its connections and exits).</summary>
    public async Task EchoAsync()
    {
        await _process.StandardInput.WriteLineAsync(CapacityBarrier.Echo);
        await _process.StandardInput.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        await _reading;
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private async Task ReadOutputAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                Write(line);
                if (CapacityBarrier.TryParseConnected(line, out var connected, out var errors))
                {
                    _connected.TrySetResult((connected, errors));
                }
                else if (line.StartsWith('{'))
                {
                    _result.TrySetResult(JsonSerializer.Deserialize<ScenarioResult>(line, Json) ?? throw new InvalidDataException("An empty result."));
                }
            }
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidDataException)
        {
            _connected.TrySetException(e);
            _result.TrySetException(e);
        }

        var exited = new InvalidOperationException($"The load generator (pid {_process.Id}) ended without reporting; see its log.");
        _connected.TrySetException(exited);
        _result.TrySetException(exited);
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
