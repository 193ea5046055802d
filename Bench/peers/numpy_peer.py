"""GraphDL's benchmark workloads in NumPy: the matrix product, and the linear fit and Iris steps with their
gradients written out by hand (what a static graph computes, with no graph around it). Names prefixed numpy_.
"""
import sys

sys.dont_write_bytecode = True

import numpy as np  # noqa: E402

import peerlib  # noqa: E402

SEED = 4


def sgemm(n, runs):
    rng = np.random.default_rng(1)
    a = (rng.random((n, n), dtype=np.float32) - 0.5)
    b = (rng.random((n, n), dtype=np.float32) - 0.5)
    product = np.empty((n, n), dtype=np.float32)
    seconds = peerlib.seconds_per_call(lambda: np.matmul(a, b, out=product), runs, min_run_seconds=0.3)
    return 2 * n ** 3 / peerlib.median(seconds) / 1e9


def linear_fit(runs):
    rng = np.random.default_rng(SEED)
    x = np.array(peerlib.LINEAR_FIT_X, dtype=np.float32)
    y = np.array(peerlib.LINEAR_FIT_Y, dtype=np.float32)
    W = rng.normal(-10, 10, 1).astype(np.float32)
    b = rng.normal(-100, 100, 1).astype(np.float32)
    rate = np.float32(0.00001)
    n = np.float32(len(x))

    def step():
        # cost = mean((W x + b - y)^2); dcost/dh = 2 (h - y) / n
        d = W * x + b - y
        cost = np.mean(d * d)  # noqa: F841 -- a training loop computes its cost, as the other peers do
        dh = (2 / n) * d
        W[...] -= rate * np.sum(dh * x)
        b[...] -= rate * np.sum(dh)

    return peerlib.median(peerlib.seconds_per_call(step, runs)) * 1e6


def iris(path, runs):
    x, y = peerlib.load_iris(path)
    W = np.zeros((4, 3), dtype=np.float32)
    b = np.zeros(3, dtype=np.float32)
    rate = np.float32(0.001)
    rows = np.float32(x.shape[0])

    def step():
        z = x @ W + b
        e = np.exp(z - z.max(axis=1, keepdims=True))
        h = e / e.sum(axis=1, keepdims=True)
        loss = np.mean(-np.sum(y * np.log(h), axis=1))
        dz = (h - y) / rows  # softmax followed by cross entropy: dL/dz = (h - y) / n
        W[...] -= rate * (x.T @ dz)
        b[...] -= rate * dz.sum(axis=0)
        return loss

    return peerlib.median(peerlib.seconds_per_call(step, runs)) * 1e6


def main():
    args = peerlib.parse_args("NumPy")
    peerlib.emit("numpy_version", np.__version__, "")
    for n in (256, 1024, 2048):
        if peerlib.wants(args, f"sgemm_gflops_n{n}"):
            peerlib.emit(f"numpy_sgemm_gflops_n{n}", sgemm(n, args.runs), "GFLOP/s")
    np.matmul(np.ones((64, 64), np.float32), np.ones((64, 64), np.float32))  # loads the BLAS if no sgemm ran
    peerlib.emit("numpy_blas", peerlib.loaded_blas(), "")
    if peerlib.wants(args, "linear_fit_step_us"):
        peerlib.emit("numpy_linear_fit_step_us", linear_fit(args.runs), "us")
    if peerlib.wants(args, "iris_step_us"):
        peerlib.emit("numpy_iris_step_us", iris(args.iris, args.runs), "us")


if __name__ == "__main__":
    main()
