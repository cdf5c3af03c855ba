namespace Engine.Experiments.Data.Sampling;

/// <summary>
/// Held-out-class splits (hypervae.md §10: train on nine digits, hold one out): the examples of
/// every class but one, and those of the held-out class, each in dataset order.
/// </summary>
public static class HeldOutClass
{
    public static (ImageSet Seen, ImageSet HeldOut) Split(ImageSet images, byte heldOut)
    {
        var seen = new List<int>();
        var held = new List<int>();
        for (var i = 0; i < images.Count; i++)
        {
            (images.Labels[i] == heldOut ? held : seen).Add(i);
        }

        if (held.Count == 0)
        {
            throw new ArgumentException($"HeldOutClass: no example has label {heldOut}.");
        }

        return (ShuffledBatches.Subset(images, seen), ShuffledBatches.Subset(images, held));
    }
}
