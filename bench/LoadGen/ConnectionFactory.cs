using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace Switchboard.Bench.LoadGen;

/// <summary>
/// Opens client WebSockets, each from the next of the configured source addresses (a socket bound to
/// 127.x.y.z:0 through <see cref="SocketsHttpHandler.ConnectCallback"/>), so that one machine can hold more
/// connections to one server than one source address has ephemeral ports.
/// </summary>
internal sealed class ConnectionFactory : IDisposable
{
    private readonly HttpMessageInvoker[] _invokers;

    public ConnectionFactory(IReadOnlyList<IPAddress> sourceAddresses) =>
        _invokers = [.. sourceAddresses.Select(address => new HttpMessageInvoker(BoundHandler(address)))];

    public async Task<ClientWebSocket> ConnectAsync(int index, Uri address, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            socket.Options.SetRequestHeader("Origin", $"http://{address.Authority}");
            socket.Options.KeepAliveInterval = TimeSpan.Zero;
            if (_invokers.Length == 0)
            {
                await socket.ConnectAsync(address, cancellationToken);
            }
            else
            {
                await socket.ConnectAsync(address, _invokers[index % _invokers.Length], cancellationToken);
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var invoker in _invokers)
        {
            invoker.Dispose();
        }
    }

    private static SocketsHttpHandler BoundHandler(IPAddress source) => new()
    {
        UseProxy = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(source.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
