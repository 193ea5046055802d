using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GraphDL.Tests.Guarantees;

/// <summary>How a <see cref="ScriptedMirror"/> answers one request.</summary>
public enum Delivery
{
    /// <summary>The whole payload, with its Content-Length.</summary>
    Whole,
    /// <summary>A Content-Length for the whole payload, then half of it, then the connection closes.</summary>
    CutOffHalfway,
    /// <summary>No Content-Length (the end is wherever the connection closes), and it closes after half the payload.</summary>
    CutOffWithoutLength,
}

/// <summary>
/// An HTTP/1.1 server on the loopback interface that serves one payload at every path, in chunks with a pause between
/// them, whole or cut off as each request's <see cref="Plan"/> says: a real mirror's faults, without the network.
/// Written on a bare socket because the faults are in the framing, which HttpListener does not let a server get wrong.
/// </summary>
internal sealed class ScriptedMirror : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly byte[] _payload;
    private readonly Task _serving;
    private readonly List<Task> _answers = [];
    private int _requests;
    private int _open;
    private int _mostAtOnce;

    public ScriptedMirror(byte[] payload)
    {
        _payload = payload;
        _listener.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/";
        _serving = Task.Run(Serve);
    }

    /// <summary>The server's base URL, ending in a slash.</summary>
    public string Url { get; }

    /// <summary>How the request with this index (from 0, in arrival order) is answered.</summary>
    public Func<int, Delivery> Plan { get; init; } = _ => Delivery.Whole;

    /// <summary>Bytes per chunk of an answer's body.</summary>
    public int ChunkBytes { get; init; } = 16 << 10;

    /// <summary>The pause after each chunk: a slow mirror keeps downloads going long enough to overlap.</summary>
    public TimeSpan PausePerChunk { get; init; } = TimeSpan.Zero;

    /// <summary>How many requests came.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The most answers that were being sent at one time.</summary>
    public int MostAtOnce => Volatile.Read(ref _mostAtOnce);

    private async Task Serve()
    {
        while (true)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(); }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException) { return; }
            int index = Interlocked.Increment(ref _requests) - 1;
            lock (_answers) _answers.Add(Task.Run(() => Answer(client, Plan(index))));
        }
    }

    private async Task Answer(TcpClient client, Delivery delivery)
    {
        int open = Interlocked.Increment(ref _open);
        for (int most = MostAtOnce; open > most; most = MostAtOnce)
            Interlocked.CompareExchange(ref _mostAtOnce, open, most);
        try
        {
            using (client)
            {
                var stream = client.GetStream();
                await ReadRequestHead(stream);
                string length = delivery == Delivery.CutOffWithoutLength ? "" : $"Content-Length: {_payload.Length}\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\n{length}Connection: close\r\n\r\n"));
                int end = delivery == Delivery.Whole ? _payload.Length : _payload.Length / 2;
                for (int at = 0; at < end; at += ChunkBytes)
                {
                    await stream.WriteAsync(_payload.AsMemory(at, Math.Min(ChunkBytes, end - at)));
                    await stream.FlushAsync();
                    if (PausePerChunk > TimeSpan.Zero) await Task.Delay(PausePerChunk);
                }
            }
        }
        catch (IOException)
        {
            // The client hung up (it had seen enough, or the test is over).
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    // Reads up to the blank line that ends a request's head; the path does not matter, every path serves the payload.
    private static async Task ReadRequestHead(NetworkStream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await stream.ReadAsync(one) == 0) throw new IOException("the client closed the connection before its request was complete");
            head.Add(one[0]);
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _serving.Wait(TimeSpan.FromSeconds(5));
        Task[] answers;
        lock (_answers) answers = [.. _answers];
        Task.WaitAll(answers, TimeSpan.FromSeconds(5));
    }
}
