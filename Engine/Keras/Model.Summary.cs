namespace GraphDL.Keras;

// Keras's model.summary(): one row per layer, and for a functional model that is not a plain chain the
// "Connected to" column that shows the graph.
public partial class Model
{
    /// <summary>
    /// Prints Keras's summary table (layer and type, output shape, parameters, totals) to <paramref name="writer"/>
    /// (the console by default) and returns it. A functional model with branches, joins, several inputs or outputs,
    /// or a layer called twice gets Keras's wider table with a "Connected to" column: <c>['dense_1[0][0]',
    /// 'dense_4[0][0]']</c> names each input by its layer, the layer's call (counted within this model) and the output
    /// of that call. A layer called more than once shows "multiple" as its output shape, as Keras prints it.
    /// </summary>
    public string Summary(TextWriter? writer = null)
    {
        _ = Graph;
        var rows = _layers.Select(l => (l.ToString(), OutputShapeText(l), CountParams(l), Connections(l))).ToList();
        long trainable = TrainableWeights.Sum(w => (long)w.Shape.Size);
        long nonTrainable = NonTrainableWeights.Sum(w => (long)w.Shape.Size);
        string text = IsChain()
            ? SummaryTable.Format(Name, rows.Select(r => (r.Item1, r.Item2, r.Item3)), trainable, nonTrainable)
            : SummaryTable.FormatWithConnections(Name, rows, trainable, nonTrainable);
        (writer ?? Console.Out).Write(text);
        return text;
    }

    private static long CountParams(Layer layer) => layer.IsBuilt ? layer.CountParams() : 0;

    /// <summary>Keras's test for the short table: one input, and each call takes the previous call's one output.</summary>
    private bool IsChain()
    {
        if (!_listsInputLayers) return true;
        if (_inputs.Count != 1 || _outputs.Count != 1) return false;
        var previous = _inputs[0];
        foreach (var call in _calls)
        {
            if (call.Siblings.Count != 1 || call.Input != previous) return false;
            previous = call;
        }
        return previous == _outputs[0] && _calls.Select(c => c.Layer).Distinct().Count() == _calls.Count;
    }

    private IEnumerable<KerasTensor> CallsOf(Layer layer) =>
        layer is Keras.Layers.InputLayer ? _inputs.Where(t => t.Layer == layer) : _calls.Where(c => c.Layer == layer);

    private string OutputShapeText(Layer layer)
    {
        var calls = CallsOf(layer).ToList();
        if (calls.Count != 1) return "multiple";
        var shapes = calls[0].Siblings.Select(t => Layer.Format(t.Shape)).ToList();
        return layer is Keras.Layers.InputLayer || shapes.Count > 1 ? $"[{string.Join(", ", shapes)}]" : shapes[0];
    }

    private string Connections(Layer layer)
    {
        var names = CallsOf(layer).SelectMany(c => c.Inputs).Select(t =>
        {
            int call = CallsOf(t.Layer).Select(c => c.Siblings[0]).ToList().IndexOf(t.Siblings[0]);
            return $"'{t.Layer.Name}[{call}][{t.Index}]'";
        });
        return $"[{string.Join(", ", names)}]";
    }
}
