using GraphDL;
using GraphDL.Keras;

namespace GraphDL.Lessons;

/// <summary>
/// The tutorial's generate_text: the trained network rebuilt to read one character at a time and hand its GRU state on
/// to the next step (the tutorial rebuilds it with batch size 1 and a stateful GRU), then sampling with a temperature.
/// </summary>
internal sealed class CharGenerator
{
    private readonly Model _stepModel;
    private readonly char[] _vocab;
    private readonly Dictionary<char, int> _char2idx;
    private readonly int _units;
    private readonly Random _random;

    /// <param name="trained">The Embedding -> GRU -> Dense network trained on sequences.</param>
    public CharGenerator(Model trained, char[] vocab, Dictionary<char, int> char2idx, int units, int seed)
    {
        (_vocab, _char2idx, _units, _random) = (vocab, char2idx, units, new Random(seed));
        // One character and the previous state in; the next character's probabilities and the new state out.
        var character = Layers.Input([1], DType.Int32, name: "character");
        var state = Layers.Input([units], name: "state");
        var embedded = new Layers.Embedding(vocab.Length, trained.Layers[0].Weights[0].Shape[1]).Apply(character);
        var gru = new Layers.GRU(units, returnSequences: true, returnState: true).ApplyAll(embedded, [state]);
        var probabilities = new Layers.Dense(vocab.Length, activation: "softmax").Apply(gru[0]);
        _stepModel = new Model([character, state], [probabilities, gru[1]]);
        _stepModel.SetWeights(trained.GetWeights());   // the same weights, in the same layer order
    }

    /// <summary>
    /// Feeds <paramref name="start"/>, then samples <paramref name="numGenerate"/> characters, each from the model's
    /// probabilities raised to 1/temperature: below 1 the likely characters get likelier, above 1 the rare ones catch up.
    /// Also returns the mean surprisal of the sampled characters under the model (nats per character, temperature 1).
    /// </summary>
    public (string Text, double NatsPerChar) Generate(string start, int numGenerate, double temperature)
    {
        var state = new Tensor(new Shape(1, _units));
        float[] probabilities = [];
        foreach (char c in start) (probabilities, state) = Step(_char2idx[c], state);
        var text = new System.Text.StringBuilder(start);
        double nats = 0;
        for (int i = 0; i < numGenerate; i++)
        {
            int next = Sample(probabilities, temperature);
            nats -= Math.Log(Math.Max(probabilities[next], 1e-30));
            text.Append(_vocab[next]);
            (probabilities, state) = Step(next, state);
        }
        return (text.ToString(), nats / numGenerate);
    }

    private (float[] Probabilities, Tensor State) Step(int character, Tensor state)
    {
        var outputs = _stepModel.PredictOutputs([Tensor.FromArray(new[,] { { character } }), state]);
        return (outputs[0].ToArray<float>(), outputs[1]);
    }

    // tf.random.categorical(predictions / temperature) on the logits, i.e. probabilities to the power 1/temperature.
    private int Sample(float[] probabilities, double temperature)
    {
        double[] weights = [.. probabilities.Select(p => Math.Exp(Math.Log(Math.Max(p, 1e-30)) / temperature))];
        double u = _random.NextDouble() * weights.Sum();
        for (int i = 0; i < weights.Length; i++)
            if ((u -= weights[i]) <= 0) return i;
        return weights.Length - 1;
    }
}
