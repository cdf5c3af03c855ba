using System.Globalization;
using System.Reflection;

namespace Engine.Core;

/// <summary>
/// A readable name for a recorded kernel call (<see cref="KernelCallProfile"/>): the backend method the recorder's closure
/// calls, read from the closure's compiler-made name (<c>&lt;Gemm&gt;b__0</c>), and the integer and flag arguments the
/// closure holds (<c>m=100,n=784,k=300,transB=True</c>). Only for reports: nothing depends on its exact form.
/// </summary>
internal static class KernelCallName
{
    public static string Of(Action call)
    {
        var method = call.Method.Name;
        var (open, close) = (method.IndexOf('<', StringComparison.Ordinal), method.IndexOf('>', StringComparison.Ordinal));
        var kernel = open >= 0 && close > open ? method[(open + 1)..close] : method;
        if (call.Target is not { } closure)
        {
            return kernel;
        }

        var sizes = closure.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(f => f.FieldType == typeof(int) || f.FieldType == typeof(bool))
            .Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Name}={f.GetValue(closure)}"));
        var arguments = string.Join(",", sizes);
        return arguments.Length == 0 ? kernel : $"{kernel} {arguments}";
    }
}
