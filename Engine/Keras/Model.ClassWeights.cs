namespace GraphDL.Keras;

// Fit's classWeight (Keras's fit(class_weight=...)): each example's loss term scaled by its class's weight.
public partial class Model
{
    /// <summary>
    /// One weight per example of <paramref name="y"/> (the labels as the placeholder takes them), its class's weight:
    /// the id for class-id labels, the argmax of a one-hot row, the 0/1 label of a single-column (sigmoid) output,
    /// read as Keras reads it, cast to an integer. A class the map leaves out weighs 1.
    /// </summary>
    /// <remarks>
    /// Keras 2 asks for a weight for every class from 0; here a map may name only the classes to reweigh. As in Keras,
    /// classWeight is for a model with one output whose labels hold one class per example.
    /// </remarks>
    private Tensor ClassWeightsPerExample(IReadOnlyDictionary<int, double> classWeight, Tensor[] y, TrainingNodes nodes)
    {
        if (y.Length != 1)
            throw new ArgumentException($"classWeight is for a model with one output, as in Keras, but model '{Name}' has {y.Length}.", nameof(classWeight));
        var output = OutputNodes[0];
        var labels = y[0];
        if (nodes.SampleWeights is null || output.Shape.Rank != 2)
            throw new ArgumentException($"classWeight needs one class per example, but model '{Name}' outputs {Layer.Format(output.Shape)}; Keras, too, refuses it for targets of 3 or more dimensions.", nameof(classWeight));
        int columns = output.Shape[-1];
        int classes = columns == 1 ? 2 : columns;
        foreach (var (id, weight) in classWeight)
        {
            if (id < 0 || id >= classes)
                throw new ArgumentException($"classWeight has a weight for class {id}, but model '{Name}''s output {Layer.Format(output.Shape)} has classes 0 to {classes - 1}.", nameof(classWeight));
            if (!(weight >= 0 && double.IsFinite(weight)))
                throw new ArgumentException($"classWeight's weight for class {id} is {weight}; a class weight must be a finite number ≥ 0.", nameof(classWeight));
        }

        int rows = labels.Shape[0];
        var weights = new Tensor(new Shape(rows), DType.Float32);
        for (int i = 0; i < rows; i++)
        {
            int id = labels.Rank == 1 ? (int)labels.GetDouble(i) : ArgMaxOfRow(labels, i, columns);
            weights.SetDouble(i, classWeight.TryGetValue(id, out var w) ? w : 1.0);
        }
        return weights;
    }

    /// <summary>The class of row i of a [rows, columns] label tensor: its argmax (the first on a tie, as tf.argmax), or the value itself for one column.</summary>
    private static int ArgMaxOfRow(Tensor labels, int row, int columns)
    {
        if (columns == 1) return (int)labels.GetDouble(row);
        int best = 0;
        for (int k = 1; k < columns; k++)
            if (labels.GetDouble(row * columns + k) > labels.GetDouble(row * columns + best)) best = k;
        return best;
    }
}
