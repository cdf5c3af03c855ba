namespace Engine.Models.Hyper.Novelty;

/// <summary>
/// One step of novelty discovery: the task latent u it searched under (empty for a plain VAE), the
/// best z, its image x* (Bernoulli means), F(x*), and the best-so-far F after each evaluation.
/// </summary>
public sealed record NoveltyStep(int Step, double[] TaskLatent, double[] Latent, float[] Image, double Similarity, double[] BestSoFar)
{
    public int Evaluations => BestSoFar.Length;
}
