using System.Globalization;
using GraphDL;
using GraphDL.Backends.Cuda;
using GraphDL.Data;
using GraphDL.Keras;
using GraphDL.ResumeProbe;

// tf1|keras cpu|emulated DIR STEPS EVERY OUT.npz [--pause N] [--lockstep]
//   Trains a small network with dropout, Adam and shuffled batches, resuming from DIR's latest checkpoint if there is one.
//   tf1: STEPS training steps, a TrainingCheckpoint every EVERY steps. keras: STEPS epochs, a ModelCheckpoint each epoch
//   (EVERY is not used). Prints "resumed from N", then "step N" after every step, flushed.
//   --pause N: the checkpoint (tf1: its step; keras: its epoch) whose writing stops half-way, after "paused writing FILE".
//   --lockstep: after each "step N", waits for a line on standard input, so that a test can kill it after the step it chose.
//   At the end, every variable (weights and optimizer state) goes to OUT.npz.
if (args.Length < 6)
{
    Console.Error.WriteLine("usage: tf1|keras cpu|emulated DIR STEPS EVERY OUT.npz [--pause N] [--lockstep]");
    return 2;
}
var (mode, device, directory, steps, every, output) = (args[0], args[1], args[2], Int(args[3]), Int(args[4]), args[5]);
Session.DefaultBackend = device switch
{
    "cpu" => Devices.Cpu,
    "emulated" => CudaBackend.Emulated,
    _ => throw new ArgumentException($"device '{device}' is not cpu or emulated"),
};
int pause = Array.IndexOf(args, "--pause");
if (pause > 0) PausingStream.PauseWhenWriting(mode == "tf1" ? $"model-{args[pause + 1]}.npz" : $"model-{args[pause + 1]}.keras");
Runs.Lockstep = args.Contains("--lockstep");
var (features, labels) = Data.Make();
if (mode == "tf1") Runs.Tf1(directory, steps, every, output, features, labels);
else if (mode == "keras") Runs.Keras(directory, steps, output, features, labels);
else throw new ArgumentException($"mode '{mode}' is not tf1 or keras");
return 0;

static int Int(string s) => int.Parse(s, CultureInfo.InvariantCulture);
