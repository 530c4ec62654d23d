using System.Collections.Concurrent;
using Switchboard.Actors;

namespace Switchboard.Gateway.Tests.Support;

/// <summary>
/// A singleton the test consumers are constructed with: they report what happened to them (connect started,
/// disconnect code, the scope they saw) under an id the test chose, and wait on gates the test opens.
/// </summary>
public sealed class ConnectionProbe
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, TaskCompletionSource<int>> _disconnects = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _connects = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ConnectionScope>> _scopes = new();

    public static string NewId() => Guid.NewGuid().ToString("N");

    public void ConnectStarted(string id) => Slot(_connects, id).TrySetResult();

    public Task WaitConnectStartedAsync(string id) => Slot(_connects, id).Task.WaitAsync(Timeout);

    public bool HasConnectStarted(string id) => _connects.TryGetValue(id, out var slot) && slot.Task.IsCompleted;

    public void Disconnected(string id, int code) => Slot(_disconnects, id).TrySetResult(code);

    public bool HasDisconnected(string id) => _disconnects.TryGetValue(id, out var slot) && slot.Task.IsCompleted;

    /// <summary>The code the consumer's OnDisconnectAsync ran with.</summary>
    public Task<int> WaitDisconnectedAsync(string id) => Slot(_disconnects, id).Task.WaitAsync(Timeout);

    public Task WaitGateAsync(string id) => Slot(_gates, id).Task;

    public void OpenGate(string id) => Slot(_gates, id).TrySetResult();

    public void CaptureScope(string id, ConnectionScope scope) => Slot(_scopes, id).TrySetResult(scope);

    public Task<ConnectionScope> WaitScopeAsync(string id) => Slot(_scopes, id).Task.WaitAsync(Timeout);

    private static TaskCompletionSource Slot(ConcurrentDictionary<string, TaskCompletionSource> slots, string id) =>
        slots.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private static TaskCompletionSource<T> Slot<T>(ConcurrentDictionary<string, TaskCompletionSource<T>> slots, string id) =>
        slots.GetOrAdd(id, _ => new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously));
}
