namespace Sdmi.OpenFlow.Tests.Connection;

/// <summary>
/// Wraps a stream so that every read returns at most <see cref="MaxReadSize"/> bytes, which makes
/// each OpenFlow message arrive over several reads.
/// </summary>
internal sealed class TrickleStream(Stream inner, int maxReadSize) : Stream
{
    public int MaxReadSize { get; } = maxReadSize;

    public int ReadCount { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ReadCount++;
        return await inner.ReadAsync(buffer[..Math.Min(buffer.Length, MaxReadSize)], cancellationToken);
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        ReadCount++;
        return inner.Read(buffer, offset, Math.Min(count, MaxReadSize));
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(buffer, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
