using System.Buffers;

namespace Sdmi.OpenFlow.Tests;

/// <summary>
/// Builds a multi-segment <see cref="ReadOnlySequence{T}"/> as a pipe delivers split reads.
/// </summary>
internal sealed class Segments : ReadOnlySequenceSegment<byte>
{
    private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Create(params ReadOnlyMemory<byte>[] parts)
    {
        var first = new Segments(parts[0], 0);
        Segments last = first;
        foreach (ReadOnlyMemory<byte> part in parts.Skip(1))
        {
            var next = new Segments(part, last.RunningIndex + last.Memory.Length);
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
