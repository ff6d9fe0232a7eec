using BenchmarkDotNet.Running;

// Run all: dotnet run -c Release --project benchmarks/Sdmi.Benchmarks.OpenFlow -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Sdmi.Benchmarks.OpenFlow.CodecBenchmarks).Assembly).Run(args);
