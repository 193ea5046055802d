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
    private static readonly ConfigRegistry<LearningRateSchedule> Registry = new("learning-rate schedule", "ScheduleConfig.Register",
        new Dictionary<string, ConfigRegistry<LearningRateSchedule>.Entry>
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
    });

    /// <summary>The class names <see cref="Create"/> knows.</summary>
    public static IEnumerable<string> ClassNames => Registry.ClassNames;

    /// <summary>Teaches model files a schedule class: how to write its arguments, and how to make one from them.</summary>
    public static void Register<T>(string className, Func<T, JsonObject> describe, Func<ConfigReader, T> create) where T : LearningRateSchedule =>
        Registry.Register(className, describe, create);

    /// <summary>The schedule as <c>{"class_name", "config"}</c>.</summary>
    /// <exception cref="NotSupportedException">Its class is not registered.</exception>
    public static JsonObject Describe(LearningRateSchedule schedule) => Registry.Describe(schedule);

    /// <summary>A schedule from <c>{"class_name", "config"}</c>; <paramref name="where"/> names the place in the file.</summary>
    /// <exception cref="InvalidDataException">An unknown class, a missing entry, or a value the constructor refuses.</exception>
    public static LearningRateSchedule Create(JsonObject description, string where) => Registry.Create(description, where);

    private static ConfigRegistry<LearningRateSchedule>.Entry Make<T>(Func<T, JsonObject> describe, Func<ConfigReader, T> create) where T : LearningRateSchedule =>
        ConfigRegistry<LearningRateSchedule>.Entry.Of(describe, create);

    private static JsonArray Numbers(IEnumerable<double> values) => [.. values.Select(v => (JsonNode)v)];
}
