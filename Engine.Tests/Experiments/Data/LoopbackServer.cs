using System.Net;
using System.Net.Sockets;

namespace Engine.Tests.Experiments.Data;

/// <summary>
/// A tiny HTTP server on 127.0.0.1 (HttpListener on a free port) serving fixed byte arrays by path;
/// any other path is 404. It answers at most <c>maxRequests</c> requests and stops by itself after
/// <c>lifetime</c> (default 30 s) or on dispose, so a failing test cannot leave it running.
/// </summary>
internal sealed class LoopbackServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop;
    private readonly Task _loop;
    private int _requests;

    public LoopbackServer(IReadOnlyDictionary<string, byte[]> files, int maxRequests = 50, TimeSpan? lifetime = null)
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseUrl = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(BaseUrl);
        _listener.Start();
        _stop = new CancellationTokenSource(lifetime ?? TimeSpan.FromSeconds(30));
        _stop.Token.Register(() => _listener.Stop());
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested && _requests < maxRequests)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return; // stopped
                }

                Interlocked.Increment(ref _requests);
                using var response = context.Response;
                if (files.TryGetValue(context.Request.Url!.AbsolutePath.TrimStart('/'), out var body))
                {
                    response.StatusCode = 200;
                    response.ContentLength64 = body.Length;
                    await response.OutputStream.WriteAsync(body);
                }
                else
                {
                    response.StatusCode = 404;
                }
            }
        });
    }

    public string BaseUrl { get; }

    public int Requests => _requests;

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}
