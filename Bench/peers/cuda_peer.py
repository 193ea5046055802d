"""GraphDL's GPU benchmark workloads in PyTorch on CUDA: SGEMM through cuBLAS, the 3x3 convolution through cuDNN, and
the MLP epoch as an eager training loop.

Prints JSON lines like the C# benchmark (`Bench --gpu`): cublas_sgemm_gflops_n4096, cudnn_conv_fwd_ms and
torch_gpu_mlp_epoch_s, plus notes named cuda_*. TF32 is off for matrix products and convolutions, so both sides
compute float32 products in float32. Kernels run asynchronously: every timed stretch ends with
torch.cuda.synchronize(), as GraphDL's end with the device's synchronisation.

--device cpu runs the same code on the CPU, to check the script on a machine without a GPU; its figures mean nothing.
"""
import argparse
import sys
import time

sys.dont_write_bytecode = True

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import peerlib  # noqa: E402

SEED = 4

# The sizes of Bench/GpuWorkloads.cs (GpuSizes.Full and GpuSizes.Tiny).
FULL = dict(sgemm_n=4096, conv_batch=64, conv_side=56, conv_channels=64, mlp_steps=600, mlp_warm_up=100)
SMALL = dict(sgemm_n=64, conv_batch=1, conv_side=8, conv_channels=4, mlp_steps=5, mlp_warm_up=1)


def parse_args():
    parser = argparse.ArgumentParser(description="GraphDL GPU benchmark peer: PyTorch on CUDA")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", help="the MNIST directory (the four IDX files, raw or .gz); random images when absent")
    parser.add_argument("--only", help="comma-separated figure names, as GraphDL's benchmark names them (gpu_...)")
    parser.add_argument("--small", action="store_true", help="the tiny sizes of Bench --gpu --small")
    parser.add_argument("--device", default="cuda", choices=("cuda", "cpu"))
    args = parser.parse_args()
    args.only = set(args.only.split(",")) if args.only else None
    return args


def synchronize(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def uniform(shape, seed, device):
    """Float32 uniform in [-0.5, 0.5), made on the CPU from a fixed seed and copied to the device."""
    generator = torch.Generator().manual_seed(seed)
    return (torch.rand(*shape, generator=generator) - 0.5).to(device)


def sgemm(sizes, device, runs):
    n = sizes["sgemm_n"]
    a, b = uniform((n, n), 1, device), uniform((n, n), 2, device)
    product = torch.empty(n, n, device=device)
    seconds = peerlib.seconds_per_call(lambda: torch.mm(a, b, out=product), runs, wait=lambda: synchronize(device))
    return 2 * n ** 3 / peerlib.median(seconds) / 1e9


def conv_forward(sizes, device, runs):
    """x (N, C, H, W) and the filter (K, C, 3, 3) in the channels_last memory format, so that cuDNN works in NHWC as GraphDL does."""
    n, side, channels = sizes["conv_batch"], sizes["conv_side"], sizes["conv_channels"]
    x = uniform((n, channels, side, side), 3, device).contiguous(memory_format=torch.channels_last)
    weight = uniform((channels, channels, 3, 3), 5, device).contiguous(memory_format=torch.channels_last)
    seconds = peerlib.seconds_per_call(lambda: F.conv2d(x, weight, stride=1, padding=1), runs, wait=lambda: synchronize(device))
    return peerlib.median(seconds) * 1e3


def random_images(rows):
    """Random pixels and one-hot labels in MNIST's shapes, for when MNIST is not there (a step's time does not depend on them)."""
    rng = np.random.default_rng(SEED)
    pixels = rng.random((rows, 784), dtype=np.float32)
    one_hot = np.zeros((rows, 10), dtype=np.float32)
    one_hot[np.arange(rows), rng.integers(0, 10, rows)] = 1
    return peerlib.DataSet(pixels, one_hot)


def mlp_epoch(train, sizes, device, runs):
    """The 784-360-10 ReLU MLP of torch_peer.py on the device; each batch is copied to the device in its step, as GraphDL's session does."""
    torch.manual_seed(SEED)
    W1 = torch.nn.init.trunc_normal_(torch.empty(784, 360), std=0.1, a=-0.2, b=0.2).to(device).requires_grad_()
    b1 = torch.full((360,), 0.1, device=device, requires_grad=True)
    W2 = torch.nn.init.trunc_normal_(torch.empty(360, 10), std=0.1, a=-0.2, b=0.2).to(device).requires_grad_()
    b2 = torch.full((10,), 0.1, device=device, requires_grad=True)
    optimizer = torch.optim.SGD([W1, b1, W2, b2], lr=0.5)

    def train_on_next_batch():
        xs, ys = train.next_batch(100)
        x, y = torch.from_numpy(xs).to(device), torch.from_numpy(ys).to(device)
        logits = torch.relu(x @ W1 + b1) @ W2 + b2
        loss = F.cross_entropy(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    for _ in range(sizes["mlp_warm_up"]):
        train_on_next_batch()
    synchronize(device)
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(sizes["mlp_steps"]):
            train_on_next_batch()
        synchronize(device)
        seconds.append(time.perf_counter() - start)
    return peerlib.median(seconds)


def main():
    args = parse_args()
    wants = lambda name: args.only is None or name in args.only  # noqa: E731
    if args.device == "cuda" and not torch.cuda.is_available():
        print(f"cuda peer: PyTorch {torch.__version__} sees no CUDA device (built for CUDA {torch.version.cuda})", file=sys.stderr)
        sys.exit(3)
    device = torch.device(args.device)
    sizes = SMALL if args.small else FULL
    # Float32 products in float32 on both sides, and cuDNN's fastest algorithm for the convolution's shape.
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cudnn.benchmark = True

    peerlib.emit("cuda_torch_version", torch.__version__, "")
    if device.type == "cuda":
        peerlib.emit("cuda_device", torch.cuda.get_device_name(device), "")
        peerlib.emit("cuda_cuda_version", str(torch.version.cuda), "")
        peerlib.emit("cuda_cudnn_version", str(torch.backends.cudnn.version()), "")
    else:
        peerlib.emit("cuda_device", "the CPU (--device cpu: a check of the script, not a measurement)", "")
    peerlib.emit("cuda_conv_layout", "NHWC (channels_last memory format), cudnn.benchmark on", "")
    peerlib.emit("cuda_sizes", "small" if args.small else "full", "")

    if wants("gpu_sgemm_gflops_n4096"):
        peerlib.emit("cublas_sgemm_gflops_n4096", sgemm(sizes, device, args.runs), "GFLOP/s")
    if wants("gpu_conv_fwd_ms"):
        peerlib.emit("cudnn_conv_fwd_ms", conv_forward(sizes, device, args.runs), "ms")
    if wants("gpu_mlp_epoch_s"):
        if peerlib.mnist_available(args.data):
            train, _ = peerlib.load_mnist(args.data)
            peerlib.emit("cuda_mlp_data", "MNIST", "")
        else:
            print(f"cuda peer: no MNIST files in {args.data}, so the MLP trains on random images of MNIST's shape", file=sys.stderr)
            train = random_images(1000)
            peerlib.emit("cuda_mlp_data", "random images (no MNIST)", "")
        peerlib.emit("torch_gpu_mlp_epoch_s", mlp_epoch(train, sizes, device, args.runs), "s")


if __name__ == "__main__":
    main()
