using Engine.Core;
using NUnit.Framework;

namespace Engine.Tests;

/// <summary>The README's autodiff example, verbatim, so it keeps compiling and stays right.</summary>
public class ReadmeExampleTests
{
    [Test]
    public void ReadmeExample_GivesTheDocumentedValues()
    {
        // --- README example start ---
        using var tape = new Tape();                       // records ops; frees their buffers at the end
        var x = Tensor.FromArray([1f, 2f, 3f], 3);
        var w = Tensor.FromArray([0.5f, -1f, 2f], 3);
        x.RequiresGrad = true;
        w.RequiresGrad = true;
        var y = Ops.Sum(Ops.Mul(w, Ops.Square(x)));        // y = Σ w·x² = 0.5 − 4 + 18
        tape.Backward(y);
        Console.WriteLine(y.Item());                       // 14.5
        Console.WriteLine(string.Join(" ", x.Grad!.ToFloatArray())); // dy/dx = 2·w·x = 1 -4 12
        Console.WriteLine(string.Join(" ", w.Grad!.ToFloatArray())); // dy/dw = x² = 1 4 9
        // --- README example end ---

        Assert.That(y.Item(), Is.EqualTo(14.5));
        Assert.That(x.Grad.ToFloatArray(), Is.EqualTo(new[] { 1f, -4f, 12f }));
        Assert.That(w.Grad.ToFloatArray(), Is.EqualTo(new[] { 1f, 4f, 9f }));
    }
}
