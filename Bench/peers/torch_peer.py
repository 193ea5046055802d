"""GraphDL's benchmark workloads in PyTorch, written as an eager CPU training loop usually is.

Prints JSON lines like the C# benchmark, each name prefixed with torch_. The MLP runs in a child process of
its own (this script with --workload mlp), so its peak RSS is the MLP's alone, as on GraphDL's side.
"""
import sys

sys.dont_write_bytecode = True

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import peerlib  # noqa: E402

THREADS = 2
torch.set_num_threads(THREADS)
SEED = 4


def settle_allocator():
    """Frees a block of 16 MB first, as the largest sgemm figure's matrices are: glibc's malloc then keeps blocks up to
    that size for reuse instead of handing each back to the system when it is freed. A process that ran the CNN step
    alone (Bench --compare takes it in turns with GraphDL's, in a process of its own) otherwise paid page faults on
    every step: 58-64 ms against 27-29 ms with the block freed first, measured one after the other."""
    block = torch.empty(2048 * 2048)
    del block


def sgemm(n, runs):
    generator = torch.Generator().manual_seed(1)
    a = torch.rand(n, n, generator=generator) - 0.5
    b = torch.rand(n, n, generator=generator) - 0.5
    product = torch.empty(n, n)
    seconds = peerlib.seconds_per_call(lambda: torch.mm(a, b, out=product), runs, min_run_seconds=0.3)
    return 2 * n ** 3 / peerlib.median(seconds) / 1e9


def linear_fit(runs):
    torch.manual_seed(SEED)
    x = torch.tensor(peerlib.LINEAR_FIT_X)
    y = torch.tensor(peerlib.LINEAR_FIT_Y)
    W = (torch.randn(1) * 10 - 10).requires_grad_()
    b = (torch.randn(1) * 100 - 100).requires_grad_()
    optimizer = torch.optim.SGD([W, b], lr=0.00001)

    def step():
        cost = torch.square(W * x + b - y).mean()
        optimizer.zero_grad()
        cost.backward()
        optimizer.step()

    return peerlib.median(peerlib.seconds_per_call(step, runs)) * 1e6


def softmax_model(features, classes, rate):
    """The slides' single softmax layer with its composed cross entropy: W and b at zero."""
    W = torch.zeros(features, classes, requires_grad=True)
    b = torch.zeros(classes, requires_grad=True)
    optimizer = torch.optim.SGD([W, b], lr=rate)

    def step(x, y):
        h = torch.softmax(x @ W + b, dim=1)
        loss = (-(y * torch.log(h)).sum(dim=1)).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss

    return step


def iris(path, runs):
    features, labels = peerlib.load_iris(path)
    x, y = torch.from_numpy(features), torch.from_numpy(labels)
    step = softmax_model(4, 3, 0.001)
    return peerlib.median(peerlib.seconds_per_call(lambda: step(x, y), runs)) * 1e6


def mnist_single(train, runs):
    step = softmax_model(784, 10, 0.5)

    def train_on_next_batch():
        xs, ys = train.next_batch(100)
        step(torch.from_numpy(xs), torch.from_numpy(ys))

    return peerlib.median(peerlib.seconds_per_run(train_on_next_batch, 1000, 100, runs))


def mlp_child(data_dir):
    """One run of the MLP: load MNIST, warm up for 100 steps, time one epoch (600 steps of 100), read the peak RSS."""
    train, _ = peerlib.load_mnist(data_dir)
    torch.manual_seed(SEED)
    W1 = torch.nn.init.trunc_normal_(torch.empty(784, 360), std=0.1, a=-0.2, b=0.2).requires_grad_()
    b1 = torch.full((360,), 0.1, requires_grad=True)
    W2 = torch.nn.init.trunc_normal_(torch.empty(360, 10), std=0.1, a=-0.2, b=0.2).requires_grad_()
    b2 = torch.full((10,), 0.1, requires_grad=True)
    optimizer = torch.optim.SGD([W1, b1, W2, b2], lr=0.5)

    def train_on_next_batch():
        xs, ys = train.next_batch(100)
        x, y = torch.from_numpy(xs), torch.from_numpy(ys)
        logits = torch.relu(x @ W1 + b1) @ W2 + b2
        loss = F.cross_entropy(logits, y)  # y one-hot: softmax cross entropy against probabilities, mean over the batch
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    epoch = peerlib.seconds_per_run(train_on_next_batch, 600, 100, 1)[0]
    peerlib.emit("mlp_epoch_s", epoch, "s")
    peerlib.emit("mlp_peak_rss_mb", peerlib.peak_rss_mb(), "MB")


# Issue 19's training steps, the sizes of Bench/StepWorkloads.cs.
CHARACTERS, EMBEDDING, UNITS, BATCH, TIME = 65, 64, 128, 32, 50
CNN_BATCH = 100


def language_model_step(kind, runs, time=TIME, min_run_seconds=1.0, warm_up_seconds=0.5):
    """Characters (32, time) -> nn.Embedding(65, 64) -> nn.LSTM or nn.GRU(64, 128) from the zero state -> nn.Linear(128, 65)
    at every step -> F.cross_entropy against the next characters, Adam(1e-3). Milliseconds per step."""
    torch.manual_seed(SEED)
    embedding = torch.nn.Embedding(CHARACTERS, EMBEDDING)
    rnn = (torch.nn.LSTM if kind == "lstm" else torch.nn.GRU)(EMBEDDING, UNITS, batch_first=True)
    dense = torch.nn.Linear(UNITS, CHARACTERS)
    parameters = [*embedding.parameters(), *rnn.parameters(), *dense.parameters()]
    optimizer = torch.optim.Adam(parameters, lr=1e-3)
    generator = torch.Generator().manual_seed(1)
    characters = torch.randint(CHARACTERS, (BATCH, time), generator=generator)
    targets = torch.randint(CHARACTERS, (BATCH, time), generator=generator)

    def step():
        outputs, _ = rnn(embedding(characters))
        loss = F.cross_entropy(dense(outputs).reshape(-1, CHARACTERS), targets.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    return peerlib.median(peerlib.seconds_per_call(step, runs, min_run_seconds, warm_up_seconds)) * 1e3


def cnn_step(runs):
    """Lessons/MnistCnn's network on a batch of 100: 5x5 convolutions of 16 and 32 filters (padding 2, the SAME of a
    stride of 1), ReLU and 2x2 max pooling each, nn.Linear(7*7*32, 256), ReLU, dropout 0.5, nn.Linear(256, 10),
    F.cross_entropy against one-hot labels, Adam(1e-3); Glorot-uniform weights and zero biases. Milliseconds per step."""
    torch.manual_seed(SEED)
    conv1 = torch.nn.Conv2d(1, 16, 5, padding=2)
    conv2 = torch.nn.Conv2d(16, 32, 5, padding=2)
    fc1 = torch.nn.Linear(7 * 7 * 32, 256)
    fc2 = torch.nn.Linear(256, 10)
    layers = (conv1, conv2, fc1, fc2)
    for layer in layers:
        torch.nn.init.xavier_uniform_(layer.weight)
        torch.nn.init.zeros_(layer.bias)
    optimizer = torch.optim.Adam([p for layer in layers for p in layer.parameters()], lr=1e-3)
    generator = torch.Generator().manual_seed(3)
    images = torch.rand(CNN_BATCH, 1, 28, 28, generator=generator)
    labels = F.one_hot(torch.randint(10, (CNN_BATCH,), generator=generator), 10).float()

    def step():
        h = F.max_pool2d(torch.relu(conv1(images)), 2)
        h = F.max_pool2d(torch.relu(conv2(h)), 2)
        h = F.dropout(torch.relu(fc1(h.flatten(1))), p=0.5, training=True)
        loss = F.cross_entropy(fc2(h), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    return peerlib.median(peerlib.seconds_per_call(step, runs, min_run_seconds=1.0)) * 1e3


# Bench --sweep: how cost grows. The figure names are Bench/Sweep.cs's.
SWEEP_RATE = 0.01  # SweepWorkloads.LearningRate: thousands of steps on random labels must stay finite


def sweep_mlp_step(batch, width, runs, warm_up_seconds, min_run_seconds):
    """The MLP of mlp_child at this width (784 -> width -> 10, ReLU, softmax cross entropy against one-hot labels, SGD),
    on a batch of random pixels in [0, 1) and random labels. Milliseconds per step."""
    torch.manual_seed(SEED)
    W1 = torch.nn.init.trunc_normal_(torch.empty(784, width), std=0.1, a=-0.2, b=0.2).requires_grad_()
    b1 = torch.full((width,), 0.1, requires_grad=True)
    W2 = torch.nn.init.trunc_normal_(torch.empty(width, 10), std=0.1, a=-0.2, b=0.2).requires_grad_()
    b2 = torch.full((10,), 0.1, requires_grad=True)
    optimizer = torch.optim.SGD([W1, b1, W2, b2], lr=SWEEP_RATE)
    generator = torch.Generator().manual_seed(SEED)
    x = torch.rand(batch, 784, generator=generator)
    y = F.one_hot(torch.randint(10, (batch,), generator=generator), 10).float()

    def step():
        loss = F.cross_entropy(torch.relu(x @ W1 + b1) @ W2 + b2, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    seconds = peerlib.seconds_per_call(step, runs, min_run_seconds, warm_up_seconds)
    if not all(torch.isfinite(p).all() for p in (W1, b1, W2, b2)):
        raise RuntimeError(f"the MLP at batch {batch}, width {width} trained to NaN or infinity")
    return peerlib.median(seconds) * 1e3


def sweep(args):
    peerlib.emit("torch_sweep_sgemm_gflops", sgemm(args.sgemm_n, args.runs), "GFLOP/s")
    peerlib.emit("torch_blas", peerlib.loaded_blas(), "")
    warm_up = args.first_warm_up
    for width in args.widths:
        for batch in args.batches:
            ms = sweep_mlp_step(batch, width, args.runs, warm_up, args.min_run)
            peerlib.emit(f"torch_sweep_mlp_step_ms_b{batch}_w{width}", ms, "ms")
            warm_up = args.warm_up
    for time in args.lengths:
        ms = language_model_step("lstm", args.runs, time, args.min_run, args.warm_up)
        peerlib.emit(f"torch_sweep_lstm_step_ms_t{time}", ms, "ms")


def main():
    args = peerlib.parse_args("PyTorch")
    if args.workload == "mlp":
        mlp_child(args.data)
        return
    if args.sweep:
        peerlib.emit("torch_version", torch.__version__, "")
        peerlib.emit("torch_threads", str(torch.get_num_threads()), "")
        sweep(args)
        return

    peerlib.emit("torch_version", torch.__version__, "")
    peerlib.emit("torch_threads", str(torch.get_num_threads()), "")
    settle_allocator()
    for n in (256, 1024, 2048):
        if peerlib.wants(args, f"sgemm_gflops_n{n}"):
            peerlib.emit(f"torch_sgemm_gflops_n{n}", sgemm(n, args.runs), "GFLOP/s")
    peerlib.emit("torch_blas", peerlib.loaded_blas(), "")
    if peerlib.wants(args, "linear_fit_step_us"):
        peerlib.emit("torch_linear_fit_step_us", linear_fit(args.runs), "us")
    if peerlib.wants(args, "iris_step_us"):
        peerlib.emit("torch_iris_step_us", iris(args.iris, args.runs), "us")
    for kind in ("lstm", "gru"):
        if peerlib.wants(args, f"{kind}_step_ms"):
            peerlib.emit(f"torch_{kind}_step_ms", language_model_step(kind, args.runs), "ms")
    if peerlib.wants(args, "cnn_step_ms"):
        peerlib.emit("torch_cnn_step_ms", cnn_step(args.runs), "ms")
    mnist_figures = ("mnist_single_1000_steps_s", "mlp_epoch_s", "mlp_peak_rss_mb")
    if not any(peerlib.wants(args, name) for name in mnist_figures):
        return
    if not peerlib.mnist_available(args.data):
        print(f"torch peer: no MNIST files in {args.data}, so no MNIST figures", file=sys.stderr)
        return
    if peerlib.wants(args, "mnist_single_1000_steps_s"):
        train, _ = peerlib.load_mnist(args.data)
        peerlib.emit("torch_mnist_single_1000_steps_s", mnist_single(train, args.runs), "s")
        del train
    if peerlib.wants(args, "mlp_epoch_s") or peerlib.wants(args, "mlp_peak_rss_mb"):
        for name, (unit, values) in peerlib.run_children(__file__, args, args.runs).items():
            if peerlib.wants(args, name):
                peerlib.emit(f"torch_{name}", peerlib.median(values), unit)


if __name__ == "__main__":
    main()
