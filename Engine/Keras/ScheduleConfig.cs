using System.Text.Json.Nodes;

namespace GraphDL.Keras;

/// <summary>
/// Learning-rate schedules by class name, for model files (Keras's <c>keras.optimizers.schedules.serialize</c> and
/// <c>deserialize</c>): an optimizer whose rate is a schedule object writes it in place of the number,
/// <c>"learning_rate": {"class_name": "ExponentialDecay", "config": {"initial_learning_rate": 0.1, "decay_steps": 100, ...}}</c>,
/// with Keras's class names and entries. The schedule reads the model's step counter, which the file keeps with the
/// optimizer's state, so a loaded model continues the schedule from the step where it was saved.
/// </summary>
/// <remarks>A schedule class of another program plugs in with one <see cref="Register{T}"/> call, as an optimizer does with <see cref="OptimizerConfig.Register{T}"/>.</remarks>
public static class ScheduleConfig
{
    private sealed record Entry(Type Type, Func<LearningRateSchedule, JsonObject> Describe, Func<ConfigReader, LearningRateSchedule> Create);

    private static readonly Dictionary<string, Entry> Entries = new(StringComparer.Ordinal)
    {
        ["ExponentialDecay"] = Make<ExponentialDecay>(s => new()
            {
                ["initial_learning_rate"] = s.InitialLearningRate, ["decay_steps"] = s.DecaySteps, ["decay_rate"] = s.DecayRate, ["staircase"] = s.Staircase,
            },
            c => new ExponentialDecay(c.Double("initial_learning_rate"), c.Double("decay_steps"), c.Double("decay_rate"), c.Bool("staircase"))),
        ["PiecewiseConstantDecay"] = Make<PiecewiseConstantDecay>(s => new()
            {
                ["boundaries"] = Numbers(s.Boundaries), ["values"] = Numbers(s.Values),
            },
            c => new PiecewiseConstantDecay(c.Doubles("boundaries"), c.Doubles("values"))),
        ["PolynomialDecay"] = Make<PolynomialDecay>(s => new()
            {
                ["initial_learning_rate"] = s.InitialLearningRate, ["decay_steps"] = s.DecaySteps, ["end_learning_rate"] = s.EndLearningRate,
                ["power"] = s.Power, ["cycle"] = s.Cycle,
            },
            c => new PolynomialDecay(c.Double("initial_learning_rate"), c.Double("decay_steps"), c.Double("end_learning_rate"), c.Double("power"), c.Bool("cycle"))),
        ["InverseTimeDecay"] = Make<InverseTimeDecay>(s => new()
            {
                ["initial_learning_rate"] = s.InitialLearningRate, ["decay_steps"] = s.DecaySteps, ["decay_rate"] = s.DecayRate, ["staircase"] = s.Staircase,
            },
            c => new InverseTimeDecay(c.Double("initial_learning_rate"), c.Double("decay_steps"), c.Double("decay_rate"), c.Bool("staircase"))),
        ["CosineDecay"] = Make<CosineDecay>(s => new()
            {
                ["initial_learning_rate"] = s.InitialLearningRate, ["decay_steps"] = s.DecaySteps, ["alpha"] = s.Alpha,
            },
            c => new CosineDecay(c.Double("initial_learning_rate"), c.Double("decay_steps"), c.Double("alpha"))),
    };

    /// <summary>The class names <see cref="Create"/> knows.</summary>
    public static IEnumerable<string> ClassNames => Entries.Keys;

    /// <summary>Teaches model files a schedule class: how to write its arguments, and how to make one from them.</summary>
    public static void Register<T>(string className, Func<T, JsonObject> describe, Func<ConfigReader, T> create) where T : LearningRateSchedule
    {
        ArgumentException.ThrowIfNullOrEmpty(className);
        ArgumentNullException.ThrowIfNull(describe);
        ArgumentNullException.ThrowIfNull(create);
        lock (Entries) Entries[className] = Make(describe, create);
    }

    /// <summary>The schedule as <c>{"class_name", "config"}</c>.</summary>
    /// <exception cref="NotSupportedException">Its class is not registered.</exception>
    public static JsonObject Describe(LearningRateSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        KeyValuePair<string, Entry>? found;
        lock (Entries) found = Entries.Where(e => e.Value.Type == schedule.GetType()).Select(e => (KeyValuePair<string, Entry>?)e).FirstOrDefault();
        if (found is not { } entry)
            throw new NotSupportedException($"The learning-rate schedule {schedule} ({schedule.GetType().Name}) cannot be described in a model file: register it with ScheduleConfig.Register.");
        return new JsonObject { ["class_name"] = entry.Key, ["config"] = entry.Value.Describe(schedule) };
    }

    /// <summary>A schedule from <c>{"class_name", "config"}</c>; <paramref name="where"/> names the place in the file.</summary>
    /// <exception cref="InvalidDataException">An unknown class, a missing entry, or a value the constructor refuses.</exception>
    public static LearningRateSchedule Create(JsonObject description, string where)
    {
        ArgumentNullException.ThrowIfNull(description);
        var reader = new ConfigReader(description, where);
        string className = reader.String("class_name");
        Entry? entry;
        lock (Entries) Entries.TryGetValue(className, out entry);
        if (entry is null) throw reader.Invalid($"the learning-rate schedule class '{className}' is unknown (known: {string.Join(", ", ClassNames)})");
        var config = reader.Object("config", $"{where} ({className})");
        try
        {
            return entry.Create(config);
        }
        catch (ArgumentException e)
        {
            throw config.Invalid($"its constructor refuses the config: {e.Message}", e);
        }
    }

    private static Entry Make<T>(Func<T, JsonObject> describe, Func<ConfigReader, T> create) where T : LearningRateSchedule =>
        new(typeof(T), s => describe((T)s), c => create(c));

    private static JsonArray Numbers(IEnumerable<double> values) => [.. values.Select(v => (JsonNode)v)];
}
