namespace GraphDL.Keras;

// Compile with a loss for each output and weights between them (Keras's compile(loss=[...] or {...}, loss_weights=...)).
public partial class Model
{
    private OutputLosses? _outputLosses;

    /// <summary>
    /// Sets up training with a loss for each output (Keras's <c>compile(loss=[...], loss_weights=[...])</c>):
    /// <paramref name="loss"/> holds one loss name per output, in <see cref="Outputs"/> order. The optimizer minimises
    /// Σ lossWeights[k] · loss_k (plus the weight penalties), reported as "loss"; each output's own loss, unweighted as
    /// in Keras, is reported as "&lt;layer&gt;_loss". Each output's labels take the dtype its loss needs (class ids
    /// for sparse_categorical_crossentropy).
    /// </summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="loss">One loss name per output.</param>
    /// <param name="metrics">Metrics, computed for each output.</param>
    /// <param name="lossWeights">One weight per output; all 1 when null.</param>
    /// <exception cref="ArgumentException">A list whose length is not the number of outputs, an unknown loss, a negative weight.</exception>
    public void Compile(Optimizer optimizer, IReadOnlyList<string> loss, IEnumerable<string>? metrics = null, IReadOnlyList<double>? lossWeights = null) =>
        Compile(optimizer, OutputLosses.ByPosition(loss, lossWeights), metrics);

    /// <summary>
    /// Sets up training with a loss for each output named by its layer (Keras's <c>compile(loss={"out_a": "mse",
    /// ...}, loss_weights={"out_a": 1.0, ...})</c>). Every output needs a loss; an output missing from
    /// <paramref name="lossWeights"/> weighs 1, as in Keras. Otherwise as <see cref="Compile(Optimizer, IReadOnlyList{string}, IEnumerable{string}?, IReadOnlyList{double}?)"/>.
    /// </summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="loss">A loss name for each output layer's name.</param>
    /// <param name="metrics">Metrics, computed for each output.</param>
    /// <param name="lossWeights">A weight by output layer name.</param>
    /// <exception cref="ArgumentException">A name that is no output's, an output without a loss, an unknown loss, a negative weight.</exception>
    public void Compile(Optimizer optimizer, IReadOnlyDictionary<string, string> loss, IEnumerable<string>? metrics = null,
        IReadOnlyDictionary<string, double>? lossWeights = null) =>
        Compile(optimizer, OutputLosses.ByName(loss, lossWeights), metrics);

    /// <summary>
    /// Sets up training with one loss for every output, weighted (Keras's <c>compile(loss="mse", loss_weights=[1.0, 0.2])</c>):
    /// the optimizer minimises Σ lossWeights[k] · loss_k.
    /// </summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="loss">The loss name, applied to each output.</param>
    /// <param name="metrics">Metrics, computed for each output.</param>
    /// <param name="lossWeights">One weight per output.</param>
    public void Compile(Optimizer optimizer, string loss, IEnumerable<string>? metrics, IReadOnlyList<double> lossWeights) =>
        Compile(optimizer, OutputLosses.Same(loss, lossWeights), metrics);

    /// <summary>
    /// The loss name and weight of each output, in <see cref="Outputs"/> order, as the last Compile set them; reading
    /// it adds the training nodes if need be, as <see cref="Loss"/> does.
    /// </summary>
    public IReadOnlyList<(string Loss, double Weight)> OutputLossesAndWeights => CompiledTrainingNodes().OutputLosses;

    /// <summary>
    /// What Compile was given for the losses: one name for every output, or a name per output by position or by
    /// layer name, with optional weights. Checked as far as it can be at Compile; matched to the outputs when the
    /// training nodes are built, when the outputs are known.
    /// </summary>
    private sealed class OutputLosses
    {
        private string? _same;
        private IReadOnlyList<string>? _byPosition;
        private IReadOnlyDictionary<string, string>? _byName;
        private IReadOnlyList<double>? _weightsByPosition;
        private IReadOnlyDictionary<string, double>? _weightsByName;

        /// <summary>True when one loss name was given for every output.</summary>
        public bool IsSameForAll => _same is not null;

        /// <summary>How CompiledWith reports the losses: the one name, or the names per output.</summary>
        public string Description { get; private init; } = "";

        public static OutputLosses Same(string loss, IReadOnlyList<double>? weights = null) =>
            Checked(new OutputLosses { _same = loss, _weightsByPosition = weights, Description = loss }, [loss]);

        public static OutputLosses ByPosition(IReadOnlyList<string> losses, IReadOnlyList<double>? weights)
        {
            ArgumentNullException.ThrowIfNull(losses);
            if (weights is not null && weights.Count != losses.Count)
                throw new ArgumentException($"lossWeights has {weights.Count} weight(s) for {losses.Count} loss(es); give one per output.", nameof(weights));
            return Checked(new OutputLosses { _byPosition = [.. losses], _weightsByPosition = weights, Description = string.Join(", ", losses) }, losses);
        }

        public static OutputLosses ByName(IReadOnlyDictionary<string, string> losses, IReadOnlyDictionary<string, double>? weights)
        {
            ArgumentNullException.ThrowIfNull(losses);
            return Checked(new OutputLosses
            {
                _byName = new Dictionary<string, string>(losses, StringComparer.Ordinal),
                _weightsByName = weights,
                Description = string.Join(", ", losses.Select(kv => $"{kv.Key}: {kv.Value}")),
            }, losses.Values);
        }

        private static OutputLosses Checked(OutputLosses spec, IEnumerable<string> names)
        {
            foreach (var name in names) Losses.Get(name);
            var weights = spec._weightsByPosition ?? spec._weightsByName?.Values ?? [];
            foreach (var w in weights)
                if (!(w >= 0 && double.IsFinite(w)))
                    throw new ArgumentException($"A loss weight must be a finite number ≥ 0, got {w}.", "lossWeights");
            return spec;
        }

        /// <summary>Each output's loss name and weight; an error names the model's outputs when the spec does not fit them.</summary>
        public (string Loss, double Weight)[] Resolve(Model model)
        {
            var names = model._outputs.Select(o => o.Layer.Name).ToArray();
            string Outputs() => $"model '{model.Name}' has {names.Length} output(s): {string.Join(", ", names.Select(n => $"'{n}'"))}";
            if (_weightsByPosition is { } wp && wp.Count != names.Length)
                throw new ArgumentException($"lossWeights has {wp.Count} weight(s), but {Outputs()}; give one per output.", "lossWeights");
            if (_byPosition is { } losses && losses.Count != names.Length)
                throw new ArgumentException($"loss has {losses.Count} name(s), but {Outputs()}; give one per output, or one name for all.", "loss");
            foreach (var key in (_byName?.Keys ?? []).Concat(_weightsByName?.Keys ?? []))
                if (!names.Contains(key))
                    throw new ArgumentException($"Unknown output '{key}': {Outputs()}.", "loss");
            return [.. names.Select((name, k) =>
            {
                string loss = _same ?? _byPosition?[k] ?? (_byName!.TryGetValue(name, out var l) ? l
                    : throw new ArgumentException($"The loss dictionary has no loss for output '{name}': {Outputs()}; give each one.", "loss"));
                double weight = _weightsByPosition?[k] ?? (_weightsByName is { } byName && byName.TryGetValue(name, out var w) ? w : 1.0);
                return (loss, weight);
            })];
        }
    }
}
