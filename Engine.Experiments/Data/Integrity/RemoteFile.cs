namespace Engine.Experiments.Data.Integrity;

/// <summary>A dataset file that can be downloaded: the name it is saved under, its URL, its SHA-256 and (when known) its size.</summary>
public sealed record RemoteFile(string FileName, string Url, string Sha256, long? Size = null);
