namespace GraphDL.Keras;

// SaveWeights and LoadWeights: the model's weights in a Saver checkpoint (an .npz by weight name).
public partial class Model
{
    private Saver? _weightsSaver;

    /// <summary>A saver of the layers' weights (not the optimizer's slots or the metric totals), keeping every file.</summary>
    internal Saver WeightsSaver
    {
        get
        {
            _ = Graph;
            return _weightsSaver ??= new Saver(Weights, maxToKeep: null);
        }
    }

    /// <summary>
    /// Writes every weight to an .npz file (a trailing ".npz" is added when missing), atomically, and returns its
    /// path (Keras's <c>save_weights</c>). The entries are named by the weights: <c>dense/kernel</c>, <c>dense_1/bias</c>.
    /// </summary>
    public string SaveWeights(string path) => WeightsSaver.Save(Session, path, writeState: false);

    /// <summary>
    /// Sets every weight from a file that <see cref="SaveWeights"/>, a <see cref="ModelCheckpoint"/> or a
    /// <see cref="Saver"/> of the same weights wrote (Keras's <c>load_weights</c>); a directory means its latest
    /// checkpoint. Weights are matched by name, so a model built the same way in another process loads them.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file is damaged or does not fit the model (a weight missing, another shape or
    /// dtype); no weight has been changed.</exception>
    public void LoadWeights(string path) => WeightsSaver.Restore(Session, path);
}
