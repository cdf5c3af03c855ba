using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Engine.Kernels;

namespace Engine.Core.Serialization;

/// <summary>
/// The safetensors format (Hugging Face): an 8-byte little-endian header length N, a UTF-8 JSON
/// header of N bytes mapping each name to {dtype, shape, data_offsets: [begin, end]} (offsets into
/// the byte buffer that follows, which the tensors cover contiguously without gaps or overlaps),
/// an optional "__metadata__" string map, then the raw little-endian row-major data. PyTorch users
/// load our weights with <c>safetensors.torch.load_file</c>. Only F32 and F64 are written or read.
/// </summary>
public static class SafeTensors
{
    private const int MaxHeaderBytes = 100 * 1024 * 1024;

    /// <summary>Writes the named tensors (in the given order) and metadata atomically.</summary>
    public static void Write(string path, IReadOnlyList<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        AtomicFile.Write(path, stream => Write(stream, tensors, metadata));

    /// <summary>Writes the whole file to <paramref name="stream"/> (callers wanting atomicity wrap it in <see cref="AtomicFile"/>).</summary>
    public static void Write(Stream stream, IReadOnlyList<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var meta = new JsonObject();
            foreach (var (k, v) in metadata)
            {
                meta[k] = v;
            }

            header["__metadata__"] = meta;
        }

        long offset = 0;
        var names = new HashSet<string>();
        foreach (var (name, tensor) in tensors)
        {
            if (!names.Add(name) || name == "__metadata__")
            {
                throw new ArgumentException($"safetensors: duplicate or reserved tensor name '{name}'.");
            }

            var bytes = (long)tensor.Numel * tensor.DType.SizeInBytes();
            header[name] = new JsonObject
            {
                ["dtype"] = tensor.DType == DType.Float32 ? "F32" : "F64",
                ["shape"] = new JsonArray(tensor.Shape.ToArray().Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + bytes),
            };
            offset += bytes;
        }

        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
        var padded = (json.Length + 7) / 8 * 8;
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
        stream.Write(length);
        stream.Write(json);
        for (var i = json.Length; i < padded; i++)
        {
            stream.WriteByte((byte)' ');
        }

        foreach (var (_, tensor) in tensors)
        {
            WriteData(stream, tensor);
        }
    }

    /// <summary>Reads and validates a whole file.</summary>
    public static (IReadOnlyList<SafeTensorEntry> Tensors, IReadOnlyDictionary<string, string> Metadata) Read(string path)
    {
        byte[] file;
        try
        {
            file = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            throw new SafeTensorsFormatException(path, "file not found");
        }

        return Parse(path, file);
    }

    /// <summary>Parses an in-memory file; every violation raises <see cref="SafeTensorsFormatException"/>.</summary>
    public static (IReadOnlyList<SafeTensorEntry> Tensors, IReadOnlyDictionary<string, string> Metadata) Parse(string path, byte[] file)
    {
        try
        {
            return ParseCore(path, file);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            // e.g. invalid UTF-8 in a property name surfaces lazily while the header is walked
            throw new SafeTensorsFormatException(path, $"header is malformed ({e.Message})");
        }
    }

    private static (IReadOnlyList<SafeTensorEntry> Tensors, IReadOnlyDictionary<string, string> Metadata) ParseCore(string path, byte[] file)
    {
        if (file.Length < 8)
        {
            throw new SafeTensorsFormatException(path, $"{file.Length} bytes is too short for the 8-byte header length");
        }

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > MaxHeaderBytes || headerLength > (ulong)(file.Length - 8))
        {
            throw new SafeTensorsFormatException(path, $"header length {headerLength} exceeds the file ({file.Length} bytes)");
        }

        JsonObject header;
        try
        {
            header = JsonNode.Parse(file.AsSpan(8, (int)headerLength)) as JsonObject
                ?? throw new SafeTensorsFormatException(path, "header is not a JSON object");
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            throw new SafeTensorsFormatException(path, $"header is not valid JSON ({e.Message})");
        }

        var dataStart = 8 + (long)headerLength;
        var dataLength = file.Length - dataStart;
        var metadata = new Dictionary<string, string>();
        var entries = new List<(long Begin, long End, SafeTensorEntry Entry)>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__")
            {
                ReadMetadata(path, node, metadata);
                continue;
            }

            var (dtype, shape, begin, end) = ReadEntryHeader(path, name, node);
            var expected = (long)shape.Numel * dtype.SizeInBytes();
            if (begin < 0 || end < begin || end > dataLength || end - begin != expected)
            {
                throw new SafeTensorsFormatException(path, $"tensor '{name}' {dtype.Name()}{shape} has data_offsets [{begin}, {end}] but needs {expected} bytes inside a {dataLength}-byte buffer");
            }

            var values = ReadValues(file.AsSpan((int)(dataStart + begin), (int)(end - begin)), dtype);
            entries.Add((begin, end, new SafeTensorEntry(name, dtype, shape, values)));
        }

        // The tensors must tile the buffer exactly: sorted by offset, each starts where the last ended.
        long position = 0;
        foreach (var (begin, end, entry) in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (begin != position)
            {
                throw new SafeTensorsFormatException(path, $"tensor '{entry.Name}' starts at byte {begin}, expected {position} (gap or overlap)");
            }

            position = end;
        }

        if (position != dataLength)
        {
            throw new SafeTensorsFormatException(path, $"tensors cover {position} bytes but the buffer holds {dataLength}");
        }

        return (entries.Select(e => e.Entry).ToList(), metadata);
    }

    /// <summary>
    /// Copies the file's tensors into <paramref name="targets"/> by name; names, dtypes and shapes
    /// must all match, so a checkpoint of another architecture is refused, not half-loaded.
    /// </summary>
    public static IReadOnlyDictionary<string, string> LoadInto(string path, IReadOnlyList<(string Name, Tensor Tensor)> targets)
    {
        var (tensors, metadata) = Read(path);
        var byName = tensors.ToDictionary(t => t.Name);
        foreach (var (name, target) in targets)
        {
            if (!byName.TryGetValue(name, out var entry))
            {
                throw new SafeTensorsFormatException(path, $"has no tensor '{name}'");
            }

            if (entry.Shape != target.Shape || entry.DType != target.DType)
            {
                throw new SafeTensorsFormatException(path, $"tensor '{name}' is {entry.DType.Name()}{entry.Shape}, expected {target.DType.Name()}{target.Shape}");
            }
        }

        var extra = byName.Keys.Except(targets.Select(t => t.Name)).ToList();
        if (extra.Count > 0)
        {
            throw new SafeTensorsFormatException(path, $"has tensors the model does not: {string.Join(", ", extra.Take(5))}");
        }

        foreach (var (name, target) in targets)
        {
            var values = byName[name].Values;
            if (target.DType == DType.Float64)
            {
                target.CopyFrom<double>(values);
            }
            else
            {
                target.CopyFrom<float>(Array.ConvertAll(values, v => (float)v));
            }
        }

        return metadata;
    }

    private static void WriteData(Stream stream, Tensor tensor)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("safetensors writing assumes a little-endian machine.");
        }

        if (tensor.DType == DType.Float32)
        {
            stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(tensor.ToFloatArray().AsSpan()));
        }
        else
        {
            stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(tensor.ToDoubleArray().AsSpan()));
        }
    }

    private static double[] ReadValues(ReadOnlySpan<byte> bytes, DType dtype)
    {
        if (dtype == DType.Float64)
        {
            var values = new double[bytes.Length / 8];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes[(i * 8)..]);
            }

            return values;
        }

        var floats = new double[bytes.Length / 4];
        for (var i = 0; i < floats.Length; i++)
        {
            floats[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
        }

        return floats;
    }

    private static void ReadMetadata(string path, JsonNode? node, Dictionary<string, string> metadata)
    {
        if (node is not JsonObject meta)
        {
            throw new SafeTensorsFormatException(path, "__metadata__ must be an object of strings");
        }

        foreach (var (k, v) in meta)
        {
            if (v is not JsonValue value || !value.TryGetValue<string>(out var s))
            {
                throw new SafeTensorsFormatException(path, $"__metadata__ value '{k}' is not a string");
            }

            metadata[k] = s;
        }
    }

    private static (DType DType, Shape Shape, long Begin, long End) ReadEntryHeader(string path, string name, JsonNode? node)
    {
        try
        {
            if (node is not JsonObject entry || entry.Count != 3)
            {
                throw new SafeTensorsFormatException(path, $"tensor '{name}' must have exactly dtype, shape and data_offsets");
            }

            var dtype = entry["dtype"]?.GetValue<string>() switch
            {
                "F32" => DType.Float32,
                "F64" => DType.Float64,
                var other => throw new SafeTensorsFormatException(path, $"tensor '{name}' has unsupported dtype '{other}' (F32 and F64 are supported)"),
            };
            var shapeNode = entry["shape"] as JsonArray ?? throw new SafeTensorsFormatException(path, $"tensor '{name}' has no shape array");
            var dims = shapeNode.Select(d => d?.GetValue<long>() ?? -1).ToArray();
            if (dims.Any(d => d < 0 || d > int.MaxValue))
            {
                throw new SafeTensorsFormatException(path, $"tensor '{name}' has an invalid shape [{string.Join(", ", dims)}]");
            }

            long numel = 1;
            foreach (var d in dims)
            {
                numel = checked(numel * d);
            }

            if (numel > int.MaxValue)
            {
                throw new SafeTensorsFormatException(path, $"tensor '{name}' has {numel} elements, more than this engine supports");
            }

            var offsets = entry["data_offsets"] as JsonArray;
            if (offsets is not { Count: 2 })
            {
                throw new SafeTensorsFormatException(path, $"tensor '{name}' needs data_offsets [begin, end]");
            }

            return (dtype, new Shape(dims.Select(d => (int)d).ToArray()), offsets[0]!.GetValue<long>(), offsets[1]!.GetValue<long>());
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException or NullReferenceException or ArgumentException)
        {
            throw new SafeTensorsFormatException(path, $"tensor '{name}' has a malformed header entry ({e.Message})");
        }
    }
}
