using System.Text.Json.Nodes;

namespace GraphDL.Keras;

/// <summary>
/// A table of classes by name for model files, as Keras's <c>serialize</c>/<c>deserialize</c> keep one per kind of
/// object: for each class, how to write an object's arguments as a config and how to make one back from it. The
/// optimizers (<see cref="OptimizerConfig"/>) and the learning-rate schedules (<see cref="ScheduleConfig"/>) each hold
/// one; a class of another program joins through their <c>Register</c>, so the table is locked.
/// </summary>
/// <typeparam name="TBase">The kind of object: Optimizer, LearningRateSchedule.</typeparam>
internal sealed class ConfigRegistry<TBase> where TBase : class
{
    /// <summary>One class: its type, how to write an object's config, how to make one from a config.</summary>
    public sealed record Entry(Type Type, Func<TBase, JsonObject> Describe, Func<ConfigReader, TBase> Create)
    {
        /// <summary>The entry of class <typeparamref name="T"/>.</summary>
        public static Entry Of<T>(Func<T, JsonObject> describe, Func<ConfigReader, T> create) where T : TBase =>
            new(typeof(T), value => describe((T)value), reader => create(reader));
    }

    private readonly Dictionary<string, Entry> _entries;
    private readonly string _kind, _registrar;

    /// <param name="kind">What the objects are, for messages: "optimizer", "learning-rate schedule".</param>
    /// <param name="registrar">The call that teaches the table a class, for messages: "OptimizerConfig.Register".</param>
    /// <param name="entries">The classes the engine knows, by name.</param>
    public ConfigRegistry(string kind, string registrar, IReadOnlyDictionary<string, Entry> entries)
    {
        _kind = kind;
        _registrar = registrar;
        _entries = new Dictionary<string, Entry>(entries, StringComparer.Ordinal);
    }

    /// <summary>The class names the table knows.</summary>
    public IReadOnlyList<string> ClassNames
    {
        get
        {
            lock (_entries) return [.. _entries.Keys];
        }
    }

    /// <summary>Adds or replaces the class <paramref name="className"/>.</summary>
    public void Register<T>(string className, Func<T, JsonObject> describe, Func<ConfigReader, T> create) where T : TBase
    {
        ArgumentException.ThrowIfNullOrEmpty(className);
        ArgumentNullException.ThrowIfNull(describe);
        ArgumentNullException.ThrowIfNull(create);
        lock (_entries) _entries[className] = Entry.Of(describe, create);
    }

    /// <summary><paramref name="value"/> as <c>{"class_name", "config"}</c>.</summary>
    /// <exception cref="NotSupportedException">Its class is not in the table.</exception>
    public JsonObject Describe(TBase value)
    {
        ArgumentNullException.ThrowIfNull(value);
        KeyValuePair<string, Entry>? found;
        lock (_entries) found = _entries.Where(e => e.Value.Type == value.GetType()).Select(e => (KeyValuePair<string, Entry>?)e).FirstOrDefault();
        if (found is not { } entry)
            throw new NotSupportedException($"The {_kind} {value.GetType().Name} cannot be described in a model file: register it with {_registrar}.");
        return new JsonObject { ["class_name"] = entry.Key, ["config"] = entry.Value.Describe(value) };
    }

    /// <summary>
    /// A fresh object from <c>{"class_name", "config"}</c>, passed with its config to <paramref name="finish"/> (settings
    /// every class shares); <paramref name="where"/> names the place in the file.
    /// </summary>
    /// <exception cref="InvalidDataException">An unknown class, a missing entry, or a value the constructor refuses.</exception>
    public TBase Create(JsonObject description, string where, Action<TBase, ConfigReader>? finish = null)
    {
        ArgumentNullException.ThrowIfNull(description);
        var reader = new ConfigReader(description, where);
        string className = reader.String("class_name");
        Entry? entry;
        lock (_entries) _entries.TryGetValue(className, out entry);
        if (entry is null) throw reader.Invalid($"the {_kind} class '{className}' is unknown (known: {string.Join(", ", ClassNames)})");
        var config = reader.Object("config", $"{where} ({className})");
        try
        {
            var value = entry.Create(config);
            finish?.Invoke(value, config);
            return value;
        }
        catch (ArgumentException e)
        {
            throw config.Invalid($"its constructor refuses the config: {e.Message}", e);
        }
    }
}
