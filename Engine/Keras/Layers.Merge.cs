using System.Text.Json.Nodes;

namespace GraphDL.Keras;

public static partial class Layers
{
    /// <summary>
    /// What the merge layers share (Keras's <c>_Merge</c>): they take a list of two or more tensors, have no weights,
    /// and join them elementwise, the shapes beyond the batch equal or broadcasting (a 1 stretches), as Keras's merge
    /// layers do. A list of the wrong length or shapes that do not fit is a <see cref="ShapeException"/> that names the
    /// layer and every shape.
    /// </summary>
    public abstract class MergeLayer : Layer
    {
        /// <param name="name">The layer's name; by default the model gives it one (add, concatenate_1, ...).</param>
        protected MergeLayer(string? name) : base(name) { }

        /// <inheritdoc/>
        public override JsonObject GetConfig()
        {
            var config = BaseConfig();

            return config;
        }

        /// <summary>How many inputs the layer takes at the least (two) and at the most (null: any number).</summary>
        protected virtual (int Min, int? Max) InputCount => (2, null);

        /// <summary>A merge layer needs a list: <c>Apply([x1, x2])</c>.</summary>
        public override Shape ComputeOutputShape(Shape inputShape) =>
            throw new ArgumentException($"Layer '{Name}' ({TypeName}) merges a list of inputs: apply it to [x1, x2, ...], not to one tensor.");

        /// <inheritdoc/>
        public override IReadOnlyList<Shape> ComputeOutputShapes(IReadOnlyList<Shape> inputShapes)
        {
            var (min, max) = InputCount;
            if (inputShapes.Count < min || inputShapes.Count > max)
                throw new ArgumentException($"Layer '{Name}' ({TypeName}) takes {(max == min ? $"exactly {min}" : $"at least {min}")} inputs, but was given {inputShapes.Count}: {Shapes(inputShapes)}.");
            return [MergedShape(inputShapes)];
        }

        /// <summary>The shape of the merged output; elementwise merges broadcast the inputs' shapes.</summary>
        protected virtual Shape MergedShape(IReadOnlyList<Shape> inputShapes)
        {
            if (inputShapes.Any(s => s.Rank != inputShapes[0].Rank))
                throw Incompatible(inputShapes);
            try
            {
                return inputShapes.Skip(1).Aggregate(inputShapes[0], Shape.Broadcast);
            }
            catch (ShapeException)
            {
                throw Incompatible(inputShapes);
            }
        }

        /// <summary>The error for inputs whose shapes cannot be merged, naming the layer and every shape.</summary>
        protected ShapeException Incompatible(IReadOnlyList<Shape> inputShapes) =>
            new($"Layer '{Name}' ({TypeName}) cannot merge inputs of incompatible shapes {Shapes(inputShapes)}.");

        private static string Shapes(IReadOnlyList<Shape> shapes) => string.Join(", ", shapes.Select(Format));

        /// <inheritdoc/>
        protected override void Build(Graph g, Shape inputShape) { }

        /// <inheritdoc/>
        protected override Output Call(Graph g, Output x, Output training) => x;

        /// <inheritdoc/>
        protected override IReadOnlyList<Output> Call(Graph g, IReadOnlyList<Output> inputs, Output training) => [Merge(g, inputs)];

        /// <summary>The node joining <paramref name="inputs"/>.</summary>
        protected abstract Output Merge(Graph g, IReadOnlyList<Output> inputs);
    }

    /// <summary>x1 + x2 + ...: Keras's <c>Add()([x1, x2])</c> (a residual connection's join).</summary>
    public sealed class Add(string? name = null) : MergeLayer(name)
    {
        /// <inheritdoc/>
        protected override Output Merge(Graph g, IReadOnlyList<Output> inputs) =>
            inputs.Skip(1).Aggregate(inputs[0], (sum, x) => sum + x);
    }

    /// <summary>x1 - x2, of exactly two inputs: Keras's <c>Subtract()([x1, x2])</c>.</summary>
    public sealed class Subtract(string? name = null) : MergeLayer(name)
    {
        /// <inheritdoc/>
        protected override (int Min, int? Max) InputCount => (2, 2);

        /// <inheritdoc/>
        protected override Output Merge(Graph g, IReadOnlyList<Output> inputs) => inputs[0] - inputs[1];
    }

    /// <summary>x1 · x2 · ..., elementwise: Keras's <c>Multiply()([x1, x2])</c>.</summary>
    public sealed class Multiply(string? name = null) : MergeLayer(name)
    {
        /// <inheritdoc/>
        protected override Output Merge(Graph g, IReadOnlyList<Output> inputs) =>
            inputs.Skip(1).Aggregate(inputs[0], (product, x) => product * x);
    }

    /// <summary>(x1 + x2 + ...) / n: Keras's <c>Average()([x1, x2])</c>.</summary>
    public sealed class Average(string? name = null) : MergeLayer(name)
    {
        /// <inheritdoc/>
        protected override Output Merge(Graph g, IReadOnlyList<Output> inputs) =>
            inputs.Skip(1).Aggregate(inputs[0], (sum, x) => sum + x) * (1.0 / inputs.Count);
    }

    /// <summary>The elementwise maximum: Keras's <c>Maximum()([x1, x2])</c>; the gradient goes to the larger input.</summary>
    public sealed class Maximum(string? name = null) : MergeLayer(name)
    {
        /// <inheritdoc/>
        protected override Output Merge(Graph g, IReadOnlyList<Output> inputs) =>
            inputs.Skip(1).Aggregate(inputs[0], (max, x) => g.Maximum(max, x));
    }

    /// <summary>The elementwise minimum: Keras's <c>Minimum()([x1, x2])</c>.</summary>
    public sealed class Minimum(string? name = null) : MergeLayer(name)
    {
        /// <inheritdoc/>
        protected override Output Merge(Graph g, IReadOnlyList<Output> inputs) =>
            inputs.Skip(1).Aggregate(inputs[0], (min, x) => g.Minimum(min, x));
    }

    /// <summary>
    /// Joins the inputs along <see cref="Axis"/> (the last by default): Keras's <c>Concatenate(axis=-1)([x1, x2])</c>,
    /// which the seed's two-input model uses to join its branches, (None, 8) and (None, 8) into (None, 16). Every
    /// other axis must agree; the batch axis cannot be joined.
    /// </summary>
    public sealed class Concatenate : MergeLayer
    {
        /// <param name="axis">The axis to join along, counted with the batch as axis 0; negative counts from the end.</param>
        /// <param name="name">The layer's name; by default concatenate, concatenate_1, ...</param>
        public Concatenate(int axis = -1, string? name = null) : base(name) => Axis = axis;

        /// <inheritdoc/>
        public override JsonObject GetConfig()
        {
            var config = base.GetConfig();
            config["axis"] = Axis;
            return config;
        }

        /// <summary>The axis the inputs are joined along (-1: the last).</summary>
        public int Axis { get; }

        /// <inheritdoc/>
        protected override Shape MergedShape(IReadOnlyList<Shape> inputShapes)
        {
            int rank = inputShapes[0].Rank;
            int axis = Axis < 0 ? Axis + rank : Axis;
            if (inputShapes.Any(s => s.Rank != rank) || axis < 1 || axis >= rank) throw Incompatible(inputShapes);
            var dims = inputShapes[0].Dims.ToArray();
            foreach (var shape in inputShapes.Skip(1))
                for (int i = 1; i < rank; i++)
                {
                    if (i == axis)
                        dims[i] = dims[i] == Shape.Unknown || shape[i] == Shape.Unknown ? Shape.Unknown : dims[i] + shape[i];
                    else if (dims[i] == Shape.Unknown)
                        dims[i] = shape[i];
                    else if (shape[i] != Shape.Unknown && shape[i] != dims[i])
                        throw Incompatible(inputShapes);
                }
            return new Shape(dims);
        }

        /// <inheritdoc/>
        protected override Output Merge(Graph g, IReadOnlyList<Output> inputs) => g.Concat(inputs, Axis < 0 ? Axis + inputs[0].Shape.Rank : Axis);
    }
}

/// <summary>
/// The merge functions of Keras's functional API, which make a merge layer and apply it at once. With
/// <c>using static GraphDL.Keras.Merge;</c> a program reads like the slide's
/// <c>result = concatenate([x.output, y.output])</c>: <c>var result = Concatenate([x.Output, y.Output]);</c>.
/// </summary>
public static class Merge
{
    /// <summary>Keras's <c>concatenate([x1, x2], axis=-1)</c>: a <see cref="Layers.Concatenate"/> layer applied to the inputs.</summary>
    public static KerasTensor Concatenate(IReadOnlyList<KerasTensor> inputs, int axis = -1, string? name = null) => new Layers.Concatenate(axis, name).Apply(inputs);

    /// <summary>Keras's <c>add([x1, x2])</c>.</summary>
    public static KerasTensor Add(IReadOnlyList<KerasTensor> inputs, string? name = null) => new Layers.Add(name).Apply(inputs);

    /// <summary>Keras's <c>subtract([x1, x2])</c>.</summary>
    public static KerasTensor Subtract(IReadOnlyList<KerasTensor> inputs, string? name = null) => new Layers.Subtract(name).Apply(inputs);

    /// <summary>Keras's <c>multiply([x1, x2])</c>.</summary>
    public static KerasTensor Multiply(IReadOnlyList<KerasTensor> inputs, string? name = null) => new Layers.Multiply(name).Apply(inputs);

    /// <summary>Keras's <c>average([x1, x2])</c>.</summary>
    public static KerasTensor Average(IReadOnlyList<KerasTensor> inputs, string? name = null) => new Layers.Average(name).Apply(inputs);

    /// <summary>Keras's <c>maximum([x1, x2])</c>.</summary>
    public static KerasTensor Maximum(IReadOnlyList<KerasTensor> inputs, string? name = null) => new Layers.Maximum(name).Apply(inputs);

    /// <summary>Keras's <c>minimum([x1, x2])</c>.</summary>
    public static KerasTensor Minimum(IReadOnlyList<KerasTensor> inputs, string? name = null) => new Layers.Minimum(name).Apply(inputs);
}
