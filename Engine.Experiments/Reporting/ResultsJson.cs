using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Engine.Experiments.Reporting;

/// <summary>results.json: snake_case keys; metrics keyed by name with value, unit and label.</summary>
public static class ResultsJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        // Keep labels such as "−ELBO" readable; the file is never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // A diverged run reports NaN/∞ as strings instead of failing to write its results.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Render(RunReport report)
    {
        var result = report.Result;
        var metrics = new JsonObject();
        foreach (var m in result.Metrics)
        {
            metrics[m.Name] = new JsonObject { ["value"] = Number(m.Value), ["unit"] = m.Unit, ["label"] = m.Label };
        }

        var root = new JsonObject
        {
            ["id"] = report.Spec.Id,
            ["description"] = report.Spec.Description,
            ["preset"] = Presets.Name(report.Preset),
            ["seed"] = report.Seed,
            ["started_utc"] = report.StartedUtc.ToString("O"),
            ["status"] = "finished",
            ["table"] = report.Spec.TableKey,
            ["wall_seconds"] = Math.Round(report.WallSeconds, 3),
            ["resumed_from"] = result.ResumedFrom,
            ["metrics"] = metrics,
            ["paper"] = Paper(report),
            ["reported"] = report.Spec.Reported is { Count: > 0 } reported ? JsonSerializer.SerializeToNode(reported, Options) : null,
            ["config"] = result.Config is null ? null : JsonSerializer.SerializeToNode(result.Config, result.Config.GetType(), Options),
            ["data"] = JsonSerializer.SerializeToNode(result.Data, Options),
            ["notes"] = JsonSerializer.SerializeToNode(result.Notes, Options),
            ["history"] = JsonSerializer.SerializeToNode(result.History, Options),
            ["files"] = JsonSerializer.SerializeToNode(result.Files, Options),
            ["engine"] = new JsonObject
            {
                ["version"] = report.Environment.EngineVersion,
                ["git_commit"] = report.Environment.GitCommit,
            },
            ["machine"] = new JsonObject
            {
                ["cores"] = report.Environment.Cores,
                ["threads"] = report.Environment.Threads,
                ["backend"] = report.Environment.Backend,
                ["cpu"] = report.Environment.Cpu,
                ["simd"] = report.Environment.Simd,
                ["os"] = report.Environment.Os,
                ["architecture"] = report.Environment.Architecture,
                ["dotnet"] = report.Environment.Dotnet,
            },
        };
        return root.ToJsonString(Options) + "\n";
    }

    /// <summary>Each published number beside ours: metric, paper value, source, our value and ours − paper.</summary>
    private static JsonArray Paper(RunReport report)
    {
        var rows = new JsonArray();
        foreach (var p in report.Spec.PaperValues)
        {
            var ours = report.Result.Value(p.Metric);
            rows.Add(new JsonObject
            {
                ["metric"] = p.Metric,
                ["value"] = Number(p.Value),
                ["source"] = p.Source,
                ["ours"] = ours is { } v ? Number(v) : null,
                ["difference"] = ours is { } d ? Number(d - p.Value) : null,
            });
        }

        return rows;
    }

    private static JsonNode? Number(double value) => JsonSerializer.SerializeToNode(value, Options);
}
