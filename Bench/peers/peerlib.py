"""What the peer scripts share: options, timing, JSON lines, and the data (MNIST IDX files, Iris CSV).

The timing follows the C# benchmark's (Bench/Measure.cs): a warm-up that also picks how many calls make a run
last long enough for the clock, then the runs, then the median.
"""
import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np


def parse_args(peer):
    parser = argparse.ArgumentParser(description=f"GraphDL benchmark peer: {peer}")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", help="the MNIST directory (the four IDX files, raw or .gz)")
    parser.add_argument("--iris", help="the Iris CSV; synthetic data of its shape when absent")
    parser.add_argument("--only", help="comma-separated figure names, as GraphDL's benchmark names them")
    parser.add_argument("--workload", help=argparse.SUPPRESS)
    # The sweep (Bench --sweep) tells its grid and timing, so that both engines measure the same points the same way;
    # the defaults are Bench/SweepGrid.cs's full grid, for running the peer alone.
    sweep = parser.add_argument_group("sweep", "how cost grows (peers with a --sweep mode)")
    sweep.add_argument("--sweep", action="store_true", help="time the sweep's points instead of the figures")
    sweep.add_argument("--batches", type=int_list, default=[1, 4, 16, 64, 256, 1024])
    sweep.add_argument("--widths", type=int_list, default=[64, 256, 1024, 4096])
    sweep.add_argument("--lengths", type=int_list, default=[10, 25, 50, 100, 200])
    sweep.add_argument("--sgemm-n", type=int, default=1024)
    sweep.add_argument("--first-warm-up", type=float, default=2.0, help="seconds of warm-up before the first point")
    sweep.add_argument("--warm-up", type=float, default=0.5, help="seconds of warm-up before each later point")
    sweep.add_argument("--min-run", type=float, default=0.2, help="seconds a run lasts at least")
    args = parser.parse_args()
    args.only = set(args.only.split(",")) if args.only else None
    return args


def int_list(text):
    return [int(value) for value in text.split(",") if value]


def wants(args, name):
    return args.only is None or name in args.only


def emit(name, value, unit):
    """One figure as the C# benchmark prints it: {"name": "...", "value": 0.61, "unit": "s"}."""
    if isinstance(value, float):
        value = float(f"{value:.4g}")
    print(json.dumps({"name": name, "value": value, "unit": unit}), flush=True)


def seconds_per_call(step, runs, min_run_seconds=0.25, warm_up_seconds=0.5, wait=None):
    """On a GPU, `wait` waits for the queued kernels: after each warm-up call and once at the end of each run,
    so that the figure is the kernels' time, not a launch's latency (as Bench/Measure.cs does)."""
    wait = wait or (lambda: None)
    start = time.perf_counter()
    calls = 0
    while True:
        step()
        wait()
        calls += 1
        if time.perf_counter() - start >= warm_up_seconds:
            break
    per_call = (time.perf_counter() - start) / calls
    calls_per_run = max(1, int(-(-min_run_seconds // per_call)))
    result = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(calls_per_run):
            step()
        wait()
        result.append((time.perf_counter() - start) / calls_per_run)
    return result


def seconds_per_run(step, steps_per_run, warm_up_steps, runs):
    for _ in range(warm_up_steps):
        step()
    result = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(steps_per_run):
            step()
        result.append(time.perf_counter() - start)
    return result


median = statistics.median


def peak_rss_mb():
    """VmHWM of /proc/self/status in MiB, as the C# benchmark reads its own."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def loaded_blas():
    """The BLAS libraries this process has mapped (after a matrix product has run)."""
    names = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            base = os.path.basename(line.split()[-1])
            if "blas" in base.lower() or base.startswith("libmkl"):
                real = os.path.realpath(line.split()[-1])
                # The folder tells Debian's BLAS variants apart: openblas-pthread, blas (the reference one), ...
                names.add(os.path.join(os.path.basename(os.path.dirname(real)), os.path.basename(real)))
    return ", ".join(sorted(names)) or "none found"


# --- data ---------------------------------------------------------------------------------------------

def read_idx(directory, name):
    """An IDX file (as MNIST ships) as a numpy array: big-endian dimensions after a magic number, then the bytes."""
    path = os.path.join(directory, name)
    if os.path.exists(path):
        with open(path, "rb") as f:
            content = f.read()
    else:
        with gzip.open(path + ".gz", "rb") as f:
            content = f.read()
    if content[0] != 0 or content[1] != 0 or content[2] != 0x08:
        raise ValueError(f"{path} is not an IDX file of unsigned bytes")
    rank = content[3]
    dims = np.frombuffer(content, dtype=">i4", count=rank, offset=4)
    return np.frombuffer(content, dtype=np.uint8, offset=4 + 4 * rank).reshape(tuple(int(d) for d in dims))


class DataSet:
    """next_batch(n) as read_data_sets' DataSet does it: a fresh random order each epoch, batches copied out."""

    def __init__(self, images, labels, seed=4):
        self.images = images
        self.labels = labels
        self.count = images.shape[0]
        self.rng = np.random.default_rng(seed)
        self.order = self.rng.permutation(self.count)
        self.index = 0

    def next_batch(self, size):
        if self.index + size > self.count:
            rest = self.order[self.index:]
            self.order = self.rng.permutation(self.count)
            self.index = size - len(rest)
            rows = np.concatenate([rest, self.order[:self.index]])
        else:
            rows = self.order[self.index:self.index + size]
            self.index += size
        return self.images[rows], self.labels[rows]


MNIST_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


def mnist_available(directory):
    return bool(directory) and all(os.path.exists(os.path.join(directory, name)) or os.path.exists(os.path.join(directory, name + ".gz"))
                                   for name in MNIST_FILES)


def load_mnist(directory):
    """Training and test sets: pixels float32 in [0, 1] (scaled in float32), labels one-hot float32."""
    sets = []
    for images, labels in (("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
                           ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")):
        pixels = read_idx(directory, images).reshape(-1, 784).astype(np.float32)
        pixels *= np.float32(1 / 255)
        classes = read_idx(directory, labels)
        one_hot = np.zeros((classes.shape[0], 10), dtype=np.float32)
        one_hot[np.arange(classes.shape[0]), classes] = 1
        sets.append(DataSet(pixels, one_hot))
    return sets[0], sets[1]


def load_iris(path):
    """Features (150, 4) and one-hot species (150, 3), float32; synthetic data of that shape without a CSV."""
    if path:
        species_ids = {"setosa": 0, "versicolor": 1, "virginica": 2}
        rows = [line.strip().split(",") for line in open(path) if line.strip()][1:]
        features = np.array([[float(v) for v in row[:4]] for row in rows], dtype=np.float32)
        classes = np.array([species_ids[row[4]] for row in rows])
    else:
        features = (1 + 6 * np.random.default_rng(4).random((150, 4))).astype(np.float32)
        classes = np.arange(150) // 50
    one_hot = np.zeros((len(classes), 3), dtype=np.float32)
    one_hot[np.arange(len(classes)), classes] = 1
    return features, one_hot


LINEAR_FIT_X = [32, 64, 96, 118, 126, 144, 152.5, 158]
LINEAR_FIT_Y = [18, 24, 61.5, 49, 52, 105, 130.3, 125]


def run_children(script, args, runs):
    """Runs `script --workload mlp` once per run, each in a fresh process, and returns each run's figures by name."""
    figures = {}
    for _ in range(runs):
        command = [sys.executable, "-B", script, "--workload", "mlp"]
        if args.data:
            command += ["--data", args.data]
        output = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout
        for line in output.splitlines():
            if line.startswith("{"):
                record = json.loads(line)
                figures.setdefault(record["name"], (record["unit"], []))[1].append(record["value"])
    return figures
