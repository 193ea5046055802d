using GraphDL;
using GraphDL.Data;
using GraphDL.Keras;

// predict MODEL OUT.npy IN.npy...  writes the loaded model's predictions for the inputs (one .npy per model input).
// fit MODEL OUT.npy X.npy Y.npy EPOCHS INITIAL  resumes training without shuffling, writes the epochs' losses (float64).
// Exit 0 on success, 2 when the model file cannot be loaded (the message on stderr).
try
{
    if (args.Length < 4) throw new ArgumentException("usage: predict MODEL OUT.npy IN.npy... | fit MODEL OUT.npy X.npy Y.npy EPOCHS INITIAL");
    var model = Models.LoadModel(args[1]);
    Tensor result;
    if (args[0] == "predict")
    {
        result = model.Predict(args[3..].Select(Load).ToArray());
    }
    else
    {
        var history = model.Fit(Load(args[3]), Load(args[4]), epochs: int.Parse(args[5]), batchSize: 8, shuffle: false, verbose: 0, initialEpoch: int.Parse(args[6]));
        result = Tensor.FromFlat(history["loss"].ToArray(), new Shape(history["loss"].Count));
    }
    using var output = File.Create(args[2]);
    Npy.Write(output, result);
    return 0;
}
catch (InvalidDataException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

static Tensor Load(string path) => Npy.Read(File.ReadAllBytes(path), path);
