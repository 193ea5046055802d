using System.Text.Json.Nodes;

namespace GraphDL.Keras;

/// <summary>
/// Optimizers by class name, for model files (Keras's <c>keras.optimizers.serialize</c> and <c>deserialize</c>):
/// <see cref="Describe"/> writes an optimizer as <c>{"class_name": "Adam", "config": {"learning_rate": 0.001, ...}}</c>
/// and <see cref="Create"/> makes a fresh one from that. The class names are the engine's (GradientDescent, Momentum,
/// Adam, RMSProp, Adagrad, Adadelta, Adamax, Nadam), since each is one update rule; the entries use Keras's words.
/// </summary>
/// <remarks>
/// A hyperparameter saved is a number, or for the learning rate a schedule object (<see cref="ScheduleConfig"/>); one
/// given as a graph tensor (a placeholder, a variable) has no value a file can hold, and <see cref="Describe"/> refuses
/// it, naming it. Keras's clipnorm and clipvalue, which every optimizer has, are written for every class. A new
/// optimizer class plugs in with one <see cref="Register{T}"/> call (or one line in the table): how to write its
/// hyperparameters, and how to call its constructor with them.
/// </remarks>
public static class OptimizerConfig
{
    private static readonly ConfigRegistry<Optimizer> Registry = new("optimizer", "OptimizerConfig.Register", new Dictionary<string, ConfigRegistry<Optimizer>.Entry>
    {
        ["GradientDescent"] = Make<GradientDescentOptimizer>(o => new() { ["learning_rate"] = Rate(o.LearningRate) },
            c => new GradientDescentOptimizer(Rate(c))),
        ["Momentum"] = Make<MomentumOptimizer>(o => new()
            {
                ["learning_rate"] = Rate(o.LearningRate), ["momentum"] = Number(o.Momentum, "momentum"), ["nesterov"] = o.UseNesterov,
            },
            c => new MomentumOptimizer(Rate(c), c.Double("momentum"), c.Bool("nesterov"))),
        ["Adam"] = Make<AdamOptimizer>(o => new()
            {
                ["learning_rate"] = Rate(o.LearningRate), ["beta_1"] = o.Beta1, ["beta_2"] = o.Beta2, ["epsilon"] = Number(o.Epsilon, "epsilon"),
            },
            c => new AdamOptimizer(Rate(c), c.Double("beta_1"), c.Double("beta_2"), c.Double("epsilon"))),
        ["RMSProp"] = Make<RmsPropOptimizer>(o => new()
            {
                ["learning_rate"] = Rate(o.LearningRate), ["rho"] = Number(o.Decay, "rho"), ["momentum"] = Number(o.Momentum, "momentum"),
                ["epsilon"] = Number(o.Epsilon, "epsilon"), ["centered"] = o.Centered,
            },
            c => new RmsPropOptimizer(Rate(c), c.Double("rho"), c.Double("momentum"), c.Double("epsilon"), c.Bool("centered"))),
        ["Adagrad"] = Make<AdagradOptimizer>(o => new()
            {
                ["learning_rate"] = Rate(o.LearningRate), ["initial_accumulator_value"] = o.InitialAccumulatorValue,
            },
            c => new AdagradOptimizer(Rate(c), c.Double("initial_accumulator_value"))),
        ["Adadelta"] = Make<AdadeltaOptimizer>(o => new()
            {
                ["learning_rate"] = Rate(o.LearningRate), ["rho"] = Number(o.Rho, "rho"), ["epsilon"] = Number(o.Epsilon, "epsilon"),
            },
            c => new AdadeltaOptimizer(Rate(c), c.Double("rho"), c.Double("epsilon"))),
        ["Adamax"] = Make<AdamaxOptimizer>(o => new()
            {
                ["learning_rate"] = Rate(o.LearningRate), ["beta_1"] = o.Beta1, ["beta_2"] = Number(o.Beta2, "beta_2"), ["epsilon"] = Number(o.Epsilon, "epsilon"),
            },
            c => new AdamaxOptimizer(Rate(c), c.Double("beta_1"), c.Double("beta_2"), c.Double("epsilon"))),
        ["Nadam"] = Make<NadamOptimizer>(o => new()
            {
                ["learning_rate"] = Rate(o.LearningRate), ["beta_1"] = o.Beta1, ["beta_2"] = o.Beta2, ["epsilon"] = Number(o.Epsilon, "epsilon"),
                ["schedule_decay"] = o.ScheduleDecay,
            },
            c => new NadamOptimizer(Rate(c), c.Double("beta_1"), c.Double("beta_2"), c.Double("epsilon"), c.Double("schedule_decay"))),
    });

    /// <summary>The class names <see cref="Create"/> knows.</summary>
    public static IEnumerable<string> ClassNames => Registry.ClassNames;

    /// <summary>Teaches model files an optimizer class: how to write its hyperparameters, and how to make one from them.</summary>
    public static void Register<T>(string className, Func<T, JsonObject> describe, Func<ConfigReader, T> create) where T : Optimizer =>
        Registry.Register(className, describe, create);

    /// <summary>The optimizer as <c>{"class_name", "config"}</c>.</summary>
    /// <exception cref="NotSupportedException">Its class is not registered, or a hyperparameter is a graph tensor rather than a number.</exception>
    public static JsonObject Describe(Optimizer optimizer)
    {
        var description = Registry.Describe(optimizer);
        // Keras's clipnorm and clipvalue belong to every optimizer, written null when unset as Keras writes them.
        var config = description["config"]!.AsObject();
        config["clipnorm"] = optimizer.ClipNorm;
        config["clipvalue"] = optimizer.ClipValue;
        return description;
    }

    /// <summary>A fresh optimizer from <c>{"class_name", "config"}</c>; <paramref name="where"/> names the place in the file.</summary>
    /// <exception cref="InvalidDataException">An unknown class, a missing entry, or a value the constructor refuses.</exception>
    public static Optimizer Create(JsonObject description, string where) =>
        Registry.Create(description, where, (optimizer, config) =>
        {
            optimizer.ClipNorm = config.OptionalDouble("clipnorm");
            optimizer.ClipValue = config.OptionalDouble("clipvalue");
        });

    private static ConfigRegistry<Optimizer>.Entry Make<T>(Func<T, JsonObject> describe, Func<ConfigReader, T> create) where T : Optimizer =>
        ConfigRegistry<Optimizer>.Entry.Of(describe, create);

    /// <summary>The learning rate as a number, or as the schedule's <c>{"class_name", "config"}</c> (Keras writes a schedule object so).</summary>
    private static JsonNode Rate(Hyperparameter rate) =>
        rate.Schedule is { } schedule ? ScheduleConfig.Describe(schedule) : JsonValue.Create(Number(rate, "learning_rate"));

    /// <summary>The "learning_rate" entry back: a number, or a schedule object.</summary>
    private static Hyperparameter Rate(ConfigReader c) => c.Json["learning_rate"] is JsonObject schedule
        ? ScheduleConfig.Create(schedule, $"{c.What}, learning_rate")
        : c.Double("learning_rate");

    private static double Number(Hyperparameter value, string name) => value.Value
        ?? throw new NotSupportedException($"The optimizer's {name} is the graph tensor {value}, which a model file cannot hold; give the optimizer numbers to save the whole model, or save the weights alone with SaveWeights.");
}
