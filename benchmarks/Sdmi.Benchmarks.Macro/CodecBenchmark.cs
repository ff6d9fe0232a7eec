using System.Diagnostics;
using Sdmi.OpenFlow;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.Benchmarks.Macro;

/// <summary>Operations per second of one codec operation on one message.</summary>
internal sealed record CodecRate(string Message, string Operation, double OperationsPerSecond);

/// <summary>
/// Encodes and decodes <see cref="CodecMessages"/> in Stopwatch loops: one warm-up pass, then
/// <see cref="Passes"/> timed passes of the given iteration count, reporting the median pass.
/// </summary>
internal static class CodecBenchmark
{
    private const int Passes = 5;

    public static IReadOnlyList<CodecRate> Run(int iterations)
    {
        byte[] buffer = new byte[ushort.MaxValue];
        byte[] flowMod = CodecMessages.FlowMod.ToArray();
        byte[] packetIn = CodecMessages.PacketIn.ToArray();
        byte[] flowStats = CodecMessages.FlowStatsReply.ToArray();
        return
        [
            Measure("FLOW_MOD", "encode", iterations, () => CodecMessages.FlowMod.WriteTo(buffer)),
            Measure("FLOW_MOD", "decode", iterations, () => Decode(flowMod)),
            Measure("PACKET_IN", "encode", iterations, () => CodecMessages.PacketIn.WriteTo(buffer)),
            Measure("PACKET_IN", "decode", iterations, () => Decode(packetIn)),
            Measure("flow stats reply", "encode", iterations, () => CodecMessages.FlowStatsReply.WriteTo(buffer)),
            Measure("flow stats reply", "decode", iterations, () => Decode(flowStats)),
        ];
    }

    private static int Decode(byte[] message) => OpenFlowCodec.Decode(message).Length;

    private static CodecRate Measure(string message, string operation, int iterations, Func<int> action)
    {
        long checksum = RunPass(iterations, action);
        var seconds = new double[Passes];
        for (int pass = 0; pass < Passes; pass++)
        {
            var stopwatch = Stopwatch.StartNew();
            checksum += RunPass(iterations, action);
            seconds[pass] = stopwatch.Elapsed.TotalSeconds;
        }

        // The checksum keeps the JIT from removing the loop body as dead code.
        GC.KeepAlive(checksum);
        Array.Sort(seconds);
        return new CodecRate(message, operation, iterations / seconds[Passes / 2]);
    }

    private static long RunPass(int iterations, Func<int> action)
    {
        long checksum = 0;
        for (int i = 0; i < iterations; i++)
        {
            checksum += action();
        }

        return checksum;
    }
}
