using System.Text.Json;
using System.Text.Json.Nodes;

namespace GraphDL.Keras;

/// <summary>
/// Reads one object of a model file's config (a layer's, an optimizer's, a model's) with typed getters whose errors
/// say which object and which entry is wrong: <c>layer 'dense' (Dense): 'units' is missing</c>. Every error is an
/// <see cref="InvalidDataException"/>, which <see cref="Models.LoadModel"/> prefixes with the file's path.
/// </summary>
public sealed class ConfigReader
{
    internal ConfigReader(JsonObject json, string what)
    {
        Json = json;
        What = what;
    }

    /// <summary>The object as read from the file.</summary>
    public JsonObject Json { get; }

    /// <summary>What the object is, for messages: "layer 'dense' (Dense)", "optimizer Adam".</summary>
    public string What { get; }

    /// <summary>The layer's name (the "name" entry), which the rebuilt layer takes as its own.</summary>
    public string Name => String("name");

    /// <summary>The "input_shape" entry (without the batch) a first layer was made with; null when absent.</summary>
    public int[]? InputShape => OptionalInts("input_shape");

    /// <summary>True when the object has a non-null entry <paramref name="key"/>.</summary>
    public bool Has(string key) => Json[key] is not null;

    /// <summary>An integer entry.</summary>
    public int Int(string key) => Read(key, n => n.GetValue<int>(), "an integer");

    /// <summary>An integer entry that may be absent or null.</summary>
    public int? OptionalInt(string key) => Has(key) ? Int(key) : null;

    /// <summary>A number entry (written by .NET's round-trip formatting, so read back to the same double).</summary>
    public double Double(string key) => Read(key, n => n.GetValue<double>(), "a number");

    /// <summary>A true/false entry.</summary>
    public bool Bool(string key) => Read(key, n => n.GetValue<bool>(), "true or false");

    /// <summary>A true/false entry that may be absent or null (one a later version added, such as go_backwards).</summary>
    public bool? OptionalBool(string key) => Has(key) ? Bool(key) : null;

    /// <summary>A number entry that may be absent or null (an optimizer's clipnorm).</summary>
    public double? OptionalDouble(string key) => Has(key) ? Double(key) : null;

    /// <summary>A string entry that must be there but may be null, where null means something (Bidirectional's merge_mode).</summary>
    public string? StringOrNull(string key) => Json.ContainsKey(key) ? OptionalString(key) : throw Invalid($"'{key}' is missing");

    /// <summary>A string entry.</summary>
    public string String(string key) => Read(key, n => n.GetValue<string>(), "a string");

    /// <summary>A string entry that may be absent or null.</summary>
    public string? OptionalString(string key) => Has(key) ? String(key) : null;

    /// <summary>An array of integers.</summary>
    public int[] Ints(string key) => Read(key, n => n.AsArray().Select(d => d!.GetValue<int>()).ToArray(), "an array of integers");

    /// <summary>An array of integers that may be absent or null.</summary>
    public int[]? OptionalInts(string key) => Has(key) ? Ints(key) : null;

    /// <summary>An array of numbers.</summary>
    public double[] Doubles(string key) => Read(key, n => n.AsArray().Select(d => d!.GetValue<double>()).ToArray(), "an array of numbers");

    /// <summary>An array of strings.</summary>
    public string[] Strings(string key) => Read(key, n => n.AsArray().Select(d => d!.GetValue<string>()).ToArray(), "an array of strings");

    /// <summary>Two integers, written as [height, width]: a kernel size, strides, a pool size.</summary>
    public (int Height, int Width) Pair(string key)
    {
        var values = Ints(key);
        return values.Length == 2 ? (values[0], values[1]) : throw Invalid($"'{key}' must hold two integers, [height, width], but holds {values.Length}");
    }

    /// <summary>A nested object.</summary>
    public ConfigReader Object(string key, string what) => new(Read(key, n => n.AsObject(), "an object"), what);

    /// <summary>A nested array.</summary>
    public JsonArray Array(string key) => Read(key, n => n.AsArray(), "an array");

    /// <summary>A dtype by its name in the file ("float32", "int32").</summary>
    public DType DType(string key)
    {
        string name = String(key);
        return name.Length > 0 && char.IsLetter(name[0]) && Enum.TryParse<DType>(name, ignoreCase: true, out var dtype) && Enum.IsDefined(dtype)
            ? dtype : throw Invalid($"'{key}' is \"{name}\", which is not a dtype ({string.Join(", ", Enum.GetNames<DType>().Select(n => n.ToLowerInvariant()))})");
    }

    /// <summary>A weight penalty written by <see cref="LayerConfig.Describe(Regularizer?)"/>; null when absent.</summary>
    public Regularizer? Regularizer(string key)
    {
        if (!Has(key)) return null;
        var entry = Object(key, $"{What}, {key}");
        string className = entry.String("class_name");
        if (className != "L1L2") throw Invalid($"'{key}' is a {className}, which is not a regularizer this version knows (L1L2)");
        var config = entry.Object("config", $"{What}, {key}");
        return new L1L2Regularizer(config.Double("l1"), config.Double("l2"));
    }

    /// <summary>A nested layer written as {"class_name", "config"} (a wrapper's inner layer), rebuilt through <see cref="LayerConfig.Create"/>.</summary>
    public Layer Layer(string key) => LayerConfig.Create(Read(key, n => n.AsObject(), "an object"), $"{What}, {key}");

    /// <summary>An error about this object: "layer 'dense' (Dense): ...".</summary>
    public InvalidDataException Invalid(string problem, Exception? inner = null) => new($"{What}: {problem}.", inner);

    private T Read<T>(string key, Func<JsonNode, T> read, string expected)
    {
        var node = Json[key] ?? throw Invalid($"'{key}' is missing");
        try
        {
            return read(node);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException or NullReferenceException or OverflowException)
        {
            throw Invalid($"'{key}' should be {expected}, but is {node.ToJsonString()}", e);
        }
    }
}
