using Engine.Kernels.OpenCl.Native;

namespace Engine.Kernels.OpenCl;

/// <summary>
/// Back-pressure on the command queue. Kernels are queued without waiting, and a training step
/// that never reads a value back (loss kept on the device, Adam on the device) lets the host run
/// arbitrarily far ahead of the device: on PoCL 10,000 small-VAE steps queued ≈1.2 GB of pending
/// commands (measured; resident memory came back once the queue drained, so nothing leaked). A CUDA
/// driver blocks launches when its queue is full; OpenCL does not, so we do it ourselves: a marker
/// event every <see cref="CommandsPerMarker"/> commands, and the host waits for the oldest marker
/// once more than <see cref="MaxMarkers"/> are outstanding. The device keeps ≥ MaxMarkers −1 batches
/// of work queued, so it never idles on our account.
/// </summary>
public sealed partial class OpenClBackend
{
    private const int CommandsPerMarker = 256;
    private const int MaxMarkers = 4;
    private readonly Queue<nint> _markers = new(MaxMarkers + 1);
    private int _sinceMarker;

    /// <summary>Marker events not yet waited for: never more than <see cref="MaxMarkers"/> (for tests).</summary>
    public int MarkersOutstanding
    {
        get
        {
            using var scope = _gate.EnterScope();
            return _markers.Count;
        }
    }

    /// <summary>Counts one queued command; the caller holds <see cref="_gate"/>.</summary>
    private unsafe void Throttle()
    {
        if (++_sinceMarker < CommandsPerMarker)
        {
            return;
        }

        _sinceMarker = 0;
        nint marker;
        ClErrors.Check(Cl.EnqueueMarkerWithWaitList(_queue, 0, null, &marker), "clEnqueueMarkerWithWaitList");
        _markers.Enqueue(marker);
        if (_markers.Count > MaxMarkers)
        {
            var oldest = _markers.Dequeue();
            var status = Cl.WaitForEvents(1, &oldest);
            Cl.ReleaseEvent(oldest);
            ClErrors.Check(status, "clWaitForEvents");
        }
    }

    /// <summary>After clFinish every marker has completed; release them. The caller holds <see cref="_gate"/>.</summary>
    private void ReleaseMarkers()
    {
        while (_markers.TryDequeue(out var marker))
        {
            Cl.ReleaseEvent(marker);
        }

        _sinceMarker = 0;
    }
}
