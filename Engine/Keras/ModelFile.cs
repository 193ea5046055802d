using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphDL.Data;

namespace GraphDL.Keras;

// Save and the model's config: the whole model in one file (Keras's model.save), read back by Models.LoadModel.
public partial class Model
{
    // The optimizer's variables (slots, β powers) that the current training nodes made, in the order it made them.
    private Output[] _optimizerVariables = [];

    /// <summary>The model as a layer of another model: the one <see cref="Apply(KerasTensor)"/> uses.</summary>
    internal Layer AsLayer => _asLayer ??= new ModelLayer(this);

    /// <summary>
    /// Writes the whole model to one file (Keras's <c>model.save</c>): the architecture, the weights, the compile
    /// settings and the optimizer's state, so that <see cref="Models.LoadModel"/> makes the same model again, in this
    /// process or another. The file is a zip holding
    /// <list type="bullet">
    /// <item><c>config.json</c>: the format's name and version, the model's config (<see cref="GetConfig"/>: every
    /// layer's class and constructor arguments and, for a functional model, which layer calls feed which), the compile
    /// settings (loss, metrics, the optimizer's class and hyperparameters), and the list of weights and optimizer
    /// variables with their shapes and dtypes, in the order they are set;</item>
    /// <item><c>weights/&lt;weight name&gt;.npy</c> for every weight (<c>weights/dense/kernel.npy</c>), which numpy reads;</item>
    /// <item><c>optimizer/&lt;variable name&gt;.npy</c> for the optimizer's state: its slots and β powers, not the
    /// metric totals, which each epoch starts from zero anyway.</item>
    /// </list>
    /// The file appears whole or not at all (written beside its name, then renamed), as a checkpoint is.
    /// </summary>
    /// <remarks>
    /// config.json also records where each random op's stream stands (<c>random_streams</c>: a Dropout layer's masks,
    /// the initializers), and a loaded model draws on from there. With Fit's shuffling, whose order for an epoch depends
    /// only on the seed and the epoch's number, a Fit resumed with <c>initialEpoch</c> from a file saved after that many
    /// epochs (a <see cref="ModelCheckpoint"/>'s) reaches the uninterrupted run's weights to the bit. What a loaded model
    /// does not have: the History and callbacks' own state (a ModelCheckpoint's best value).
    /// </remarks>
    /// <exception cref="NotSupportedException">A subclassed model (its Call cannot be written as a config), a layer or optimizer
    /// class that has no config, or an optimizer hyperparameter given as a graph tensor. Nothing is written.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var config = new JsonObject
        {
            ["format"] = ModelFile.Format,
            ["version"] = ModelFile.Version,
            ["model"] = new JsonObject { ["class_name"] = ClassName, ["config"] = GetConfig() },
        };
        IReadOnlyList<Output> weights = [], optimizerVariables = [];
        if (IsBuilt)
        {
            _ = Graph;
            weights = Weights;
        }
        if (_settings is { } settings)
        {
            if (IsBuilt)
            {
                CompiledTrainingNodes();
                optimizerVariables = _optimizerVariables;
            }
            config["compile"] = new JsonObject
            {
                ["loss"] = LossConfig(),
                ["metrics"] = new JsonArray([.. settings.Metrics.Select(m => (JsonNode)m)]),
                ["optimizer"] = OptimizerConfig.Describe(settings.Optimizer),
            };
            if (IsBuilt && OutputLossesAndWeights.Any(o => o.Weight != 1))
                config["compile"]!["loss_weights"] = new JsonArray([.. OutputLossesAndWeights.Select(o => (JsonNode)o.Weight)]);
        }
        config["weights"] = ModelFile.List(weights);
        config["optimizer_variables"] = ModelFile.List(optimizerVariables);
        var session = weights.Count + optimizerVariables.Count > 0 ? Session : null;
        config["random_streams"] = ModelFile.List(IsBuilt && _workspace?.Session is { } running ? running.RandomStreamStates() : []);
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            ModelFile.WriteEntry(zip, ModelFile.ConfigEntry, entry => entry.Write(Encoding.UTF8.GetBytes(config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }))));
            foreach (var (folder, variables) in new[] { (ModelFile.WeightsFolder, weights), (ModelFile.OptimizerFolder, optimizerVariables) })
                foreach (var v in variables)
                    ModelFile.WriteEntry(zip, ModelFile.EntryName(folder, v), entry => Npy.Write(entry, session!.GetValue(v).ToHost()));
        });
    }

    /// <summary>"Sequential" or "Functional", as Keras names the two kinds of model a config can describe.</summary>
    private string ClassName => this is Sequential ? "Sequential" : "Functional";

    /// <summary>
    /// The model's architecture as JSON (Keras's <c>model.get_config()</c>): its name and seed and every layer's
    /// <see cref="LayerConfig.Describe(Layer)"/>. A Sequential model lists its layers in order (and the input shape it
    /// was built for, when no layer gave one); a functional model gives each layer its calls, each call the tensors it
    /// takes as [layer name, call number, output number] (Keras's inbound nodes), and the model's input and output
    /// tensors the same way. A nested model appears as a layer whose config is its own.
    /// </summary>
    /// <exception cref="NotSupportedException">The model is subclassed: its overridden Call is code, which no config can describe (Keras cannot either without the class).</exception>
    public JsonObject GetConfig()
    {
        if (GetType() != typeof(Model) && this is not Sequential)
            throw new NotSupportedException($"Model '{Name}' is a subclassed model ({GetType().Name} overrides Call), whose forward pass is code that a model file cannot describe. Save its weights with SaveWeights and make the model again with its class before LoadWeights.");
        var config = new JsonObject { ["name"] = Name, ["seed"] = _seed };
        if (this is Sequential)
        {
            config["layers"] = new JsonArray([.. _layers.Select(l => (JsonNode)LayerConfig.Describe(l))]);
            config["build_input_shape"] = IsBuilt ? LayerConfig.Ints(InputShape!.Dims[1..]) : null;
            return config;
        }
        var callsOf = _layers.ToDictionary(l => l, _ => new List<KerasTensor>());
        var callNumber = new Dictionary<KerasTensor, int>();
        foreach (var call in _calls)
        {
            callNumber[call] = callsOf[call.Layer].Count;
            callsOf[call.Layer].Add(call);
        }
        JsonArray Reference(KerasTensor t) => _inputs.Contains(t) ? [t.Layer.Name, 0, 0] : [t.Layer.Name, callNumber[t.Siblings[0]], t.Index];
        var layers = new JsonArray();
        foreach (var layer in _layers)
        {
            var entry = LayerConfig.Describe(layer);
            entry["name"] = layer.Name;
            entry["inbound_nodes"] = new JsonArray([.. callsOf[layer].Select(call => (JsonNode)new JsonArray([.. call.Inputs.Select(t => (JsonNode)Reference(t))]))]);
            layers.Add(entry);
        }
        config["layers"] = layers;
        config["input_layers"] = new JsonArray([.. _inputs.Select(t => (JsonNode)Reference(t))]);
        config["output_layers"] = new JsonArray([.. _outputs.Select(t => (JsonNode)Reference(t))]);
        return config;
    }

    /// <summary>A new model, unbuilt where it can be, from the config <see cref="GetConfig"/> wrote under <paramref name="className"/>.</summary>
    internal static Model FromConfig(string className, ConfigReader c) => className switch
    {
        "Sequential" => SequentialFromConfig(c),
        "Functional" => FunctionalFromConfig(c),
        _ => throw c.Invalid($"the model class '{className}' is not Sequential or Functional"),
    };

    private static Sequential SequentialFromConfig(ConfigReader c)
    {
        var model = new Sequential(c.Name) { Seed = c.OptionalInt("seed") };
        var layers = c.Array("layers");
        for (int i = 0; i < layers.Count; i++)
            model.Add(LayerConfig.Create(AsObject(c, layers[i], $"layers[{i}]"), $"model '{model.Name}', layers[{i}]"));
        if (!model.IsBuilt && c.OptionalInts("build_input_shape") is { } shape) model.Build(shape);
        return model;
    }

    /// <summary>Makes the layers, then replays their calls: each as soon as the tensors it takes are made (a shared layer's later call may wait for other layers).</summary>
    private static Model FunctionalFromConfig(ConfigReader c)
    {
        string name = c.Name;
        var entries = c.Array("layers");
        var layers = new List<(Layer Layer, JsonArray Calls)>();
        var made = new Dictionary<(string Layer, int Call), KerasTensor[]>();
        for (int i = 0; i < entries.Count; i++)
        {
            string where = $"model '{name}', layers[{i}]";
            var entry = new ConfigReader(AsObject(c, entries[i], $"layers[{i}]"), where);
            var layer = LayerConfig.Create(entry.Json, where);
            if (layers.Any(l => l.Layer.Name == layer.Name)) throw c.Invalid($"two layers are named '{layer.Name}'");
            if (layer is Keras.Layers.InputLayer input) made[(input.Name, 0)] = [Keras.Layers.InputOf(input)];
            layers.Add((layer, entry.Has("inbound_nodes") ? entry.Array("inbound_nodes") : []));
        }

        KerasTensor? Find(JsonNode? reference, string where)
        {
            if (reference is not JsonArray { Count: 3 } r || r[0] is not JsonValue || r[1] is not JsonValue || r[2] is not JsonValue)
                throw c.Invalid($"{where}: a tensor is written [layer name, call number, output number], not {reference?.ToJsonString() ?? "null"}");
            var key = (ReadValue<string>(c, r[0], where), ReadValue<int>(c, r[1], where));
            int index = ReadValue<int>(c, r[2], where);
            if (!layers.Any(l => l.Layer.Name == key.Item1)) throw c.Invalid($"{where} takes a tensor of layer '{key.Item1}', which the model does not have");
            return made.TryGetValue(key, out var outputs) ? index >= 0 && index < outputs.Length ? outputs[index]
                : throw c.Invalid($"{where} takes output {index} of layer '{key.Item1}', which has {outputs.Length}") : null;
        }

        var next = new int[layers.Count];
        for (bool progress = true; progress;)
        {
            progress = false;
            for (int i = 0; i < layers.Count; i++)
                for (var (layer, calls) = layers[i]; next[i] < calls.Count; next[i]++, progress = true)
                {
                    string where = $"layer '{layer.Name}', call {next[i]}";
                    if (calls[next[i]] is not JsonArray references) throw c.Invalid($"{where} is not a list of tensors");
                    var inputs = references.Select(r => Find(r, where)).ToList();
                    if (inputs.Any(t => t is null)) break;
                    made[(layer.Name, next[i])] = layer.Connect(inputs!);
                }
        }
        for (int i = 0; i < layers.Count; i++)
            if (next[i] < layers[i].Calls.Count)
                throw c.Invalid($"call {next[i]} of layer '{layers[i].Layer.Name}' takes tensors that no call makes (a cycle, or a call that is missing)");

        KerasTensor[] Ends(string key) => [.. c.Array(key).Select((r, i) => Find(r, $"{key}[{i}]") ?? throw c.Invalid($"{key}[{i}] is a tensor that no call makes"))];
        return new Model(Ends("input_layers"), Ends("output_layers"), name) { Seed = c.OptionalInt("seed") };
    }

    private static JsonObject AsObject(ConfigReader c, JsonNode? node, string where) =>
        node as JsonObject ?? throw c.Invalid($"{where} should be an object, but is {node?.ToJsonString() ?? "null"}");

    private static T ReadValue<T>(ConfigReader c, JsonNode? node, string where)
    {
        try
        {
            return node!.GetValue<T>();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException)
        {
            throw c.Invalid($"{where}: {node?.ToJsonString() ?? "null"} is not {(typeof(T) == typeof(string) ? "a layer name" : "an integer")}", e);
        }
    }

    /// <summary>
    /// The compile settings' losses: the one name when every output has the same loss, else a name per output, in
    /// <see cref="Outputs"/> order (Keras's <c>compile(loss=[...])</c>), resolved from how Compile was given them.
    /// </summary>
    private JsonNode LossConfig()
    {
        if (!IsBuilt) return _outputLosses!.IsSameForAll ? _settings!.Value.Loss
            : throw new InvalidOperationException($"Model '{Name}' was compiled with a loss per output but does not know its outputs yet; build it (Fit, or Build) before Save.");
        var losses = OutputLossesAndWeights.Select(o => o.Loss).ToArray();
        return losses.Distinct().Count() == 1 ? losses[0] : new JsonArray([.. losses.Select(l => (JsonNode)l)]);
    }

    /// <summary>The optimizer variables of the current training nodes, made by the last Compile (or Fit) on a built model.</summary>
    internal IReadOnlyList<Output> OptimizerVariables => _trainingNodes is null ? [] : _optimizerVariables;
}

/// <summary>Keras's <c>keras.models</c>: reading a whole model back from the file <see cref="Model.Save"/> wrote.</summary>
public static class Models
{
    /// <summary>
    /// Makes the model a <see cref="Model.Save"/> file describes (Keras's <c>keras.models.load_model</c>): its layers,
    /// in a fresh graph and session, with the saved weights; compiled with the saved loss, metrics and optimizer when
    /// it was compiled, with the optimizer's slots and β powers as they were. Its predictions equal the saved model's
    /// to the bit, and Fit continues where the saved model's training stopped (see <see cref="Model.Save"/> for what
    /// the file does not hold).
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a model file, is damaged, is of another format or version, describes
    /// a layer class this program does not know, or holds a weight missing or of the wrong shape or dtype; the message names
    /// the file and what is wrong. No model is returned.</exception>
    public static Model LoadModel(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"There is no model file '{full}'.", full);
        try
        {
            using var file = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read);
            return ModelFile.Read(file);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or ShapeException or InvalidOperationException or NotSupportedException)
        {
            throw new InvalidDataException($"Model file '{full}' cannot be loaded: {e.Message}", e);
        }
    }
}

/// <summary>The layout of a model file: its entries, and reading one back.</summary>
internal static class ModelFile
{
    public const string Format = "graphdl.keras.model";
    public const int Version = 1;
    public const string ConfigEntry = "config.json";
    public const string WeightsFolder = "weights";
    public const string OptimizerFolder = "optimizer";
    private static readonly DateTimeOffset FixedTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static string EntryName(string folder, Output variable) => $"{folder}/{VariableOp.NodeOf(variable).Name}.npy";

    /// <summary>The variables as config.json lists them: name, shape, dtype, in the order they are set.</summary>
    /// <summary>The random streams as config.json lists them: the random op's node name, its seed, the numbers it has given.</summary>
    public static JsonArray List(IReadOnlyList<(string Node, int Seed, long Draws)> streams) => [.. streams.Select(s => (JsonNode)new JsonObject
    {
        ["node"] = s.Node,
        ["seed"] = s.Seed,
        ["draws"] = s.Draws,
    })];

    /// <summary>
    /// The random streams config.json lists, those of nodes the rebuilt graph has (a model sharing its graph with another
    /// saves the other's streams too); none for a file written before streams were recorded.
    /// </summary>
    private static List<(string Node, int Seed, long Draws)> ReadRandomStreams(ConfigReader config, Graph? graph)
    {
        var streams = new List<(string Node, int Seed, long Draws)>();
        if (!config.Has("random_streams") || graph is null) return streams;
        var listed = config.Array("random_streams");
        for (int i = 0; i < listed.Count; i++)
        {
            var item = new ConfigReader(listed[i] as JsonObject ?? throw new InvalidDataException($"{ConfigEntry}: random_streams[{i}] is not an object"), $"{ConfigEntry}: random_streams[{i}]");
            string node = item.String("node");
            double draws = item.Double("draws");
            if (draws < 0 || draws != Math.Floor(draws) || draws > (double)(1L << 53))
                throw new InvalidDataException($"{ConfigEntry}: random_streams[{i}] (node '{node}') has {draws} draws, not a count");
            if (graph.FindNode(node) is { Op: RandomOp or RandomUniformLike }) streams.Add((node, item.Int("seed"), (long)draws));
        }
        return streams;
    }

    public static JsonArray List(IReadOnlyList<Output> variables) => [.. variables.Select(v => (JsonNode)new JsonObject
    {
        ["name"] = VariableOp.NodeOf(v).Name,
        ["shape"] = LayerConfig.Ints(v.Shape.Dims.ToArray()),
        ["dtype"] = LayerConfig.DTypeName(v.DType),
    })];

    public static void WriteEntry(ZipArchive zip, string name, Action<Stream> write)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = FixedTime;
        using var stream = entry.Open();
        write(stream);
    }

    /// <summary>The model the archive describes, weights and optimizer state set; every problem is an InvalidDataException without the file's name, which the caller adds.</summary>
    public static Model Read(Stream file)
    {
        ZipArchive zip;
        Dictionary<string, ZipArchiveEntry> entries;
        try
        {
            zip = new ZipArchive(file, ZipArchiveMode.Read);
            entries = zip.Entries.ToDictionary(e => e.FullName, StringComparer.Ordinal);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException)
        {
            throw new InvalidDataException($"it is not a zip archive, so not a model file ({e.Message})", e);
        }
        using (zip)
        {
            if (!entries.TryGetValue(ConfigEntry, out var configEntry))
                throw new InvalidDataException($"the archive has no {ConfigEntry}, so it is not a model file (it holds {Describe(entries.Keys)})");
            JsonObject root;
            try
            {
                root = JsonNode.Parse(Npz.ReadEntry(configEntry, $"entry '{ConfigEntry}'")) as JsonObject
                    ?? throw new InvalidDataException($"{ConfigEntry} is not a JSON object");
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{ConfigEntry} is not valid JSON: {e.Message}", e);
            }
            var config = new ConfigReader(root, ConfigEntry);
            if (!config.Has("format") || root["format"] is not JsonValue format || !format.TryGetValue<string>(out var name) || name != Format)
                throw new InvalidDataException($"{ConfigEntry} is not of the format '{Format}' (its format is {root["format"]?.ToJsonString() ?? "missing"})");
            int version = config.Int("version");
            if (version != Version) throw new InvalidDataException($"{ConfigEntry} is of version {version} of the format; this GraphDL reads version {Version}");

            var description = config.Object("model", "the model");
            string className = description.String("class_name");
            var model = Model.FromConfig(className, description.Object("config", $"the model ({className})"));
            // A functional model makes its graph, and so its weights, on first use.
            var weights = model.IsBuilt && model.Graph is not null ? model.Weights : [];
            var weightValues = ReadVariables(entries, config, "weights", WeightsFolder, weights, "the model's weights");

            if (config.Has("compile"))
            {
                var compile = config.Object("compile", "the compile settings");
                var optimizer = OptimizerConfig.Create(compile.Object("optimizer", "the compile settings' optimizer").Json, "the compile settings' optimizer");
                var lossWeights = compile.Has("loss_weights") ? compile.Array("loss_weights").Select(w => w!.GetValue<double>()).ToArray() : null;
                if (compile.Json["loss"] is JsonArray) model.Compile(optimizer, compile.Strings("loss"), compile.Strings("metrics"), lossWeights);
                else if (lossWeights is not null) model.Compile(optimizer, compile.String("loss"), compile.Strings("metrics"), lossWeights);
                else model.Compile(optimizer, compile.String("loss"), compile.Strings("metrics"));
            }
            var optimizerVariables = model.OptimizerVariables;
            var optimizerValues = ReadVariables(entries, config, "optimizer_variables", OptimizerFolder, optimizerVariables, "the optimizer's variables");

            var streams = ReadRandomStreams(config, weights.Count + optimizerVariables.Count > 0 ? model.Graph : null);

            // Every entry is read and checked before any value is set.
            if (weights.Count + optimizerVariables.Count > 0)
            {
                var session = model.Session;
                for (int i = 0; i < weights.Count; i++) session.SetValue(weights[i], weightValues[i]);
                for (int i = 0; i < optimizerVariables.Count; i++) session.SetValue(optimizerVariables[i], optimizerValues[i]);
                session.RestoreRandomStreams(streams);
            }
            return model;
        }
    }

    /// <summary>
    /// The values of <paramref name="variables"/> from the entries config.json lists under <paramref name="key"/>,
    /// matched by position (a rebuilt graph may name a nested model's weights differently), each checked for shape and dtype.
    /// </summary>
    private static Tensor[] ReadVariables(Dictionary<string, ZipArchiveEntry> entries, ConfigReader config, string key, string folder,
        IReadOnlyList<Output> variables, string what)
    {
        var listed = config.Array(key);
        if (listed.Count != variables.Count)
            throw new InvalidDataException($"{ConfigEntry} lists {listed.Count} entries under '{key}', but the rebuilt model has {variables.Count} ({what})");
        var values = new Tensor[variables.Count];
        for (int i = 0; i < variables.Count; i++)
        {
            var item = new ConfigReader(listed[i] as JsonObject ?? throw new InvalidDataException($"{ConfigEntry}: {key}[{i}] is not an object"), $"{ConfigEntry}: {key}[{i}]");
            string name = item.String("name");
            string entryName = $"{folder}/{name}.npy";
            var v = variables[i];
            if (!entries.TryGetValue(entryName, out var entry))
                throw new InvalidDataException($"the entry '{entryName}' is missing ({what}, number {i}, {v.DType} {v.Shape})");
            var value = Npy.Read(Npz.ReadEntry(entry, $"entry '{entryName}'"), $"entry '{entryName}'");
            if (value.DType != v.DType)
                throw new InvalidDataException($"the entry '{entryName}' is {value.DType} ('{Npy.Descr(value.DType)}'), but the rebuilt model's weight there is {v.DType}");
            if (value.Shape != v.Shape)
                throw new InvalidDataException($"the entry '{entryName}' has shape {value.Shape}, but the rebuilt model's weight there has shape {v.Shape}");
            values[i] = value;
        }
        return values;
    }

    private static string Describe(IEnumerable<string> names)
    {
        var list = names.Take(5).ToList();
        return list.Count == 0 ? "no entries" : string.Join(", ", list.Select(n => $"'{n}'")) + (names.Count() > 5 ? ", ..." : "");
    }
}
