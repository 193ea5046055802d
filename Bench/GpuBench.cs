using System.Globalization;
using GraphDL.Backends.Cuda;
using GraphDL.Backends.Cuda.Driver;
using GraphDL.Backends.Cuda.Emulation;
using GraphDL.Data;

namespace GraphDL.Bench;

/// <summary>
/// <c>Bench --gpu</c>: the GPU figures of <see cref="GpuWorkloads"/>, then with <c>--compare</c> the same workloads
/// in PyTorch on CUDA (peers/cuda_peer.py) and the targets of the GPU backend. A figure whose primitive has no
/// kernel yet, or whose kernel fails, is reported and left out; the others are still measured.
/// </summary>
public static class GpuBench
{
    /// <summary>Each GPU figure and the peer's figure it is compared with.</summary>
    public static readonly IReadOnlyDictionary<string, string> PeerFigures = new Dictionary<string, string>
    {
        ["gpu_sgemm_gflops_n4096"] = "cublas_sgemm_gflops_n4096",
        ["gpu_conv_fwd_ms"] = "cudnn_conv_fwd_ms",
        ["gpu_mlp_epoch_s"] = "torch_gpu_mlp_epoch_s",
    };

    public static int Run(Options options)
    {
        var gpu = OpenBackend(options);
        if (gpu is null) return 2;
        var sizes = options.Small ? GpuSizes.Tiny : GpuSizes.Full;

        var notes = new List<Note> { new("gpu_device", gpu.Name), new("gpu_sizes", sizes.ToString()) };
        if (DeviceNote(gpu) is { } deviceNote) notes.Add(deviceNote);
        foreach (var note in notes)
            Console.WriteLine(options.Json ? note.ToJson() : $"{note.Name}: {note.Text}");
        if (!PrepareKernels(gpu, out var compileNote)) return 1;
        if (compileNote is not null) Console.WriteLine(options.Json ? compileNote.ToJson() : $"{compileNote.Name}: {compileNote.Text}");
        if (!options.Json)
        {
            Console.WriteLine($"GraphDL GPU benchmark, {options.Runs} runs per figure");
            Report.Header(Console.Out);
        }

        var ours = new List<Metric>();
        int failures = 0;
        void Measure(string name, Func<Metric> workload)
        {
            if (!options.Wants(name)) return;
            try
            {
                var metric = workload();
                ours.Add(metric);
                if (options.Json) Console.WriteLine(metric.ToJson());
                else Report.Row(Console.Out, metric);
            }
            // Anything: a missing kernel, a kernel that faults, a guard the emulation finds broken. The figure is
            // missing and said so; the other figures are still measured.
            catch (Exception e)
            {
                failures++;
                Console.Error.WriteLine($"Bench: no {name}: {e.GetType().Name}: {e.Message}");
            }
        }

        Measure("gpu_sgemm_gflops_n4096", () => GpuWorkloads.Sgemm(gpu, sizes, options.Runs));
        Measure("gpu_conv_fwd_ms", () => GpuWorkloads.ConvForward(gpu, sizes, options.Runs));
        if (options.Wants("gpu_mlp_epoch_s"))
        {
            var mnist = LoadMnist(options, "the MLP trains on random images of MNIST's shape");
            Note data = new("gpu_mlp_data", mnist is null ? "random images (no MNIST)" : "MNIST");
            IReadOnlyList<string> onCpu = [];
            Measure("gpu_mlp_epoch_s", () =>
            {
                (var epoch, onCpu) = GpuWorkloads.MlpEpoch(gpu, mnist, sizes, options.Runs);
                return epoch;
            });
            // Nodes that fell back to the CPU (their messages are on standard error) make the epoch a mixed one.
            Note fallBack = new("gpu_mlp_nodes_on_cpu", onCpu.Count.ToString(CultureInfo.InvariantCulture));
            foreach (var note in (Note[])[data, fallBack])
                Console.WriteLine(options.Json ? note.ToJson() : $"{note.Name}: {note.Text}");
            notes.AddRange([data, fallBack]);
        }

        if (options.Compare)
        {
            if (!options.Json) Console.Error.WriteLine($"Running the {Peers.Title("cuda")} peer...");
            // On the emulation there is no GPU to give PyTorch: the peer then runs on the CPU, which checks the script only.
            List<string> args = ["--device", options.Device == "emulated" ? "cpu" : "cuda"];
            if (options.Small) args.Add("--small");
            var peer = Peers.Run("cuda", options, args);
            if (options.Json)
            {
                foreach (var note in peer.Notes) Console.WriteLine(note.ToJson());
                foreach (var metric in peer.Metrics) Console.WriteLine(metric.ToJson());
            }
            Report.GpuComparison(options.Json ? Console.Error : Console.Out, ours, notes, peer, options.Runs);
        }
        return failures == 0 ? 0 : 1;
    }

    /// <summary>The backend <c>--device</c> names, or null after saying why there is none.</summary>
    public static CudaBackend? OpenBackend(Options options)
    {
        if (options.Device == "emulated")
        {
            try
            {
                return CudaBackend.Emulated;
            }
            catch (InvalidOperationException e)
            {
                Console.Error.WriteLine($"Bench: no host emulation of the kernels: {e.Message}");
                return null;
            }
        }
        if (CudaBackend.Gpu is { } gpu) return gpu;
        string? reason = CudaBackend.GpuUnavailableReason;
        string hint = reason?.Contains("nvrtc", StringComparison.OrdinalIgnoreCase) == true
            ? " Where the CUDA toolkit is installed but NVRTC is not found, set LD_LIBRARY_PATH=/usr/local/cuda/lib64."
            : "";
        Console.Error.WriteLine($"Bench: no GPU: {reason}.{hint} `--device emulated` runs the kernels' host emulation instead.");
        return null;
    }

    /// <summary>What runs the kernels beyond its name: the driver and NVRTC, or the emulator's library.</summary>
    public static Note? DeviceNote(CudaBackend gpu) => gpu.Device switch
    {
        CudaDevice cuda => new("gpu_driver", $"CUDA driver {cuda.DriverVersion}, NVRTC {cuda.NvrtcVersion} ({cuda.NvrtcLibrary}), kernels as {cuda.Target}"),
        EmulatedDevice emulated => new("gpu_driver", $"{emulated.LibraryPath}, {emulated.Kernels.Count} kernels"),
        _ => null,
    };

    /// <summary>
    /// On a GPU, compiles the kernels before anything is timed and says how long NVRTC took; false after printing
    /// NVRTC's error, when no kernel can run at all. The emulation's kernels are compiled already.
    /// </summary>
    public static bool PrepareKernels(CudaBackend gpu, out Note? compiled)
    {
        compiled = null;
        if (gpu.Device is not CudaDevice cuda) return true;
        try
        {
            var time = cuda.CompileKernels();
            compiled = new Note("gpu_kernels_compiled", $"in {time.TotalSeconds:F2} s");
            if (cuda.CompileLog is { Length: > 0 } log) Console.Error.WriteLine($"NVRTC's warnings:\n{log}");
            return true;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"Bench: the kernels did not compile for {gpu.Name}: {e.Message}");
            return false;
        }
    }

    /// <summary>MNIST from the benchmark's directory (fetched there if need be), or null after saying what happens instead.</summary>
    public static MnistData? LoadMnist(Options options, string instead)
    {
        try
        {
            return Mnist.Load(options.DataDir, Console.Error.WriteLine, seed: Workloads.Seed);
        }
        catch (DataUnavailableException e)
        {
            Console.Error.WriteLine($"Bench: no MNIST, so {instead}: {e.Message}");
            return null;
        }
    }
}
