using BenchmarkDotNet.Running;
using Engine.Benchmarks.Workload;

namespace Engine.Benchmarks;

/// <summary>
/// <c>workload &lt;name&gt; [--repeat N] [--warmup W] [--threads T] [--device cpu|opencl[:i]]</c> times one spec/benchmarks.md
/// workload and prints one JSON line; anything else goes to BenchmarkDotNet's switcher.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "workload")
        {
            return WorkloadRunner.Run(args[1..], Console.Out, Console.Error);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
