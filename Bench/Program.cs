using GraphDL.Backends.Cpu.Blas;
using GraphDL.Bench;
using GraphDL.Data;

if (!Options.TryParse(args, out var options, out int exitCode)) return exitCode;
if (options.Workload == MlpWorkload.Name) return MlpWorkload.Run(options);
if (options.GpuCheck) return GpuCheckMode.Run(options);
if (options.FusedAgainstUnfusedRounds > 0)
{
    StepWorkloads.FusedAgainstUnfused(options.FusedAgainstUnfusedRounds);
    return 0;
}
if (options.GruFusedAgainstUnfusedRounds > 0)
{
    StepWorkloads.FusedAgainstUnfused(StepWorkloads.Cell.Gru, options.GruFusedAgainstUnfusedRounds);
    return 0;
}
if (options.ConvPathsAbRounds > 0)
{
    ConvPathsAb.Run(options.ConvPathsAbRounds, options.Profile);
    return 0;
}
if (options.ConvShallowAbRounds > 0)
{
    ConvPathsAb.RunShallow(options.ConvShallowAbRounds, options.Profile);
    return 0;
}
if (options.OverwriteAbRounds > 0)
{
    OverwriteAb.Run(options.OverwriteAbRounds);
    return 0;
}
if (options.MlpInTurnsRounds > 0)
{
    MlpInTurns.Run(options.MlpInTurnsRounds, options.Profile, options.SingleThreadBelowFlops);
    return 0;
}
if (options.Gpu) return GpuBench.Run(options);
if (options.Sweep) return Sweep.Run(options);

var otherLoad = new OtherLoad();   // for each part of a comparison: how much of the CPU other processes took meanwhile
List<BlasUnderTest> libraries;
try
{
    libraries = BlasUnderTest.ToMeasure(Console.Error.WriteLine);
}
catch (BlasUnavailableException e)
{
    Console.Error.WriteLine($"Bench: {e.Message}");
    return 2;
}
var blasNotes = libraries.Select(l => new Note("blas", l.Description) { Blas = l.Name }).ToList();
if (options.Json) foreach (var note in blasNotes) Console.WriteLine(note.ToJson());
else
{
    Console.WriteLine($"GraphDL benchmark, {options.Runs} runs per figure, on {string.Join(" and ", libraries.Select(l => l.Name))}:");
    foreach (var library in libraries) Console.WriteLine($"  {library.Name}: {library.Description}");
    Report.Header(Console.Out, libraries);
}

// Each figure is taken on every library in turn before the next figure, so that the libraries meet the same machine.
var ours = new List<Metric>();
void Record(string[] names, Func<BlasUnderTest, IEnumerable<Metric>> measure)
{
    var taken = new List<Metric>();
    foreach (var library in libraries)
    {
        library.Use();
        foreach (var metric in measure(library).Where(m => names.Contains(m.Name)))
        {
            var mine = metric with { Blas = library.Name };
            taken.Add(mine);
            if (options.Json) Console.WriteLine(mine.ToJson());
        }
    }
    ours.AddRange(taken);
    if (!options.Json)
        foreach (string name in names.Where(n => taken.Any(m => m.Name == n)))
            Report.Row(Console.Out, name, [.. libraries.Select(l => taken.FirstOrDefault(m => m.Name == name && m.Blas == l.Name))]);
}

// Each figure in a process of its own on each library (FigureProcess), or here in a figure's child process; with
// --compare, the figures with targets against PyTorch's in turns with its (InTurns).
string? irisCsv = Workloads.IrisCsvPath();
var torchInTurns = new List<Metric>();
var torchNotes = new List<Note>();
void RecordAlone(string name, Func<Metric> measure)
{
    if (options.InProcess)
    {
        Record([name], _ => [measure()]);
        return;
    }
    try
    {
        if (InTurns.Applies(options, name))
        {
            var (inTurns, torch, notes) = InTurns.Take(options, libraries, name, irisCsv);
            Record([name], library => inTurns.Where(m => m.Blas == library.Name));
            if (torch is not null) torchInTurns.Add(torch);
            torchNotes = notes;
        }
        else Record([name], library => FigureProcess.Measure(options, library.Setting, name));
    }
    catch (InvalidOperationException e)
    {
        Console.Error.WriteLine($"Bench: no {name}: {e.Message}");
    }
}

foreach (int n in (int[])[256, 1024, 2048])
    if (options.Wants($"sgemm_gflops_n{n}")) RecordAlone($"sgemm_gflops_n{n}", () => Workloads.Sgemm(n, options.Runs));
if (options.Wants("linear_fit_step_us")) RecordAlone("linear_fit_step_us", () => Workloads.LinearFit(options.Runs));
if (options.Wants("iris_step_us"))
{
    if (irisCsv is null && !options.InProcess) Console.Error.WriteLine("Bench: GraphDL's iris.csv (Engine/Data/Datasets) was not in the build; the Iris step runs on synthetic data of its shape.");
    RecordAlone("iris_step_us", () => Workloads.Iris(irisCsv, options.Runs, options.Profile));
}
if (options.Wants("node_overhead_ns")) RecordAlone("node_overhead_ns", () => Workloads.NodeOverhead(options.Runs));
// MNIST is loaded here, fetched first if need be, even when only the MLP's child processes will train on it:
// they then find it in the cache, and a missing data set is told once.
string[] mlpFigures = ["mlp_epoch_s", "mlp_step_alloc_bytes", "mlp_peak_rss_mb"];
if (options.WantsAny(["mnist_single_1000_steps_s", .. mlpFigures]))
{
    MnistData? mnist = null;
    try
    {
        mnist = Mnist.Load(options.DataDir, Console.Error.WriteLine, seed: Workloads.Seed);
    }
    catch (DataUnavailableException e)
    {
        Console.Error.WriteLine($"Bench: no MNIST, so no MNIST figures: {e.Message}");
    }
    if (mnist is not null && options.Wants("mnist_single_1000_steps_s"))
        RecordAlone("mnist_single_1000_steps_s", () => Workloads.MnistSingleLayer(mnist, options.Runs));
    if (mnist is not null && options.WantsAny(mlpFigures))
    {
        try
        {
            Record([.. mlpFigures.Where(options.Wants)], library => MlpWorkload.Measure(options, library.Setting));
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"Bench: no MLP figures: {e.Message}");
        }
    }
}

if (options.Wants("lstm_step_ms")) RecordAlone("lstm_step_ms", () => StepWorkloads.LanguageModelStep(StepWorkloads.Cell.Lstm, options.Runs, options.Profile));
if (options.Wants("gru_step_ms")) RecordAlone("gru_step_ms", () => StepWorkloads.LanguageModelStep(StepWorkloads.Cell.Gru, options.Runs, options.Profile));
if (options.Wants("cnn_step_ms")) RecordAlone("cnn_step_ms", () => StepWorkloads.CnnStep(options.Runs, options.Profile));

if (options.Compare)
{
    var peers = new List<PeerResult>();
    List<(string Part, double? Share)> otherLoads = [("GraphDL", otherLoad.Share())];
    foreach (string peer in Peers.Scripts)
    {
        otherLoad = new OtherLoad();
        // PyTorch's figures taken in turns with GraphDL's are not taken again.
        var peerOptions = peer == "torch" && torchInTurns.Count > 0
            ? options with { Only = (options.Only ?? Options.Names.ToHashSet()).Except(InTurns.Figures).ToHashSet() }
            : options;
        bool nothingLeft = peerOptions.Only is { Count: 0 };
        if (!options.Json && !nothingLeft) Console.Error.WriteLine($"Running the {Peers.Title(peer)} peer...");
        var measured = nothingLeft ? new PeerResult(peer, [], torchNotes) : Peers.Run(peer, peerOptions, irisCsv);
        var result = peer == "torch" ? measured with { Metrics = [.. measured.Metrics, .. torchInTurns] } : measured;
        otherLoads.Add((Peers.Title(peer), otherLoad.Share()));
        peers.Add(result);
        if (options.Json)
        {
            foreach (var note in result.Notes) Console.WriteLine(note.ToJson());
            foreach (var metric in result.Metrics) Console.WriteLine(metric.ToJson());
        }
    }
    // With --json, standard output stays JSON lines only; the table goes to standard error.
    Report.Comparison(options.Json ? Console.Error : Console.Out, ours, libraries, peers, options.Runs, otherLoads);
}
return 0;
