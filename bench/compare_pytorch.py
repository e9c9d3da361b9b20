#!/usr/bin/python3
"""Side by side: `convscope bench` against PyTorch on the same suite, in one run.

Both float64 on one thread, inputs random, bias on, a fresh output each run, each
case timed for about a second after a warm-up; the median is compared. Needs Debian's
python3-torch (PyTorch 1.13). Usage: bench/compare_pytorch.py [path/to/convscope] [--seconds S]
"""
import argparse, json, math, os, statistics, subprocess, sys, time

# One thread means one thread: torch.set_num_threads() does not reach the OpenBLAS
# that Debian's torch calls for float64 gemm, which otherwise runs on every core
# (that made PyTorch's wide_upconv look 1.5x faster than it is on one thread).
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"
# Same dgemm kernel on both sides: OpenBLAS 0.3.21 takes this CPU for a Prescott (SSE3);
# convscope names the AVX-512 (or AVX2) kernel itself, and so does this script for torch.
if "OPENBLAS_CORETYPE" not in os.environ:
    flags = open("/proc/cpuinfo").read()
    if " avx512f" in flags:
        os.environ["OPENBLAS_CORETYPE"] = "SkylakeX"
    elif " avx2" in flags:
        os.environ["OPENBLAS_CORETYPE"] = "Haswell"

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)


def time_fn(fn, seconds):
    end = time.perf_counter() + min(0.2, seconds / 5)
    while time.perf_counter() < end:
        fn()
    runs = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or len(runs) < 3:
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000)
    return statistics.median(runs), len(runs)


def torch_case(cfg):
    g = torch.Generator().manual_seed(0)
    if cfg["op"] in ("conv2d", "conv_transpose2d"):
        x = torch.randn(cfg["n"], cfg["c_in"], cfg["h"], cfg["w"], generator=g)
        if cfg["op"] == "conv2d":
            w = torch.randn(cfg["c_out"], cfg["c_in"] // cfg["groups"], cfg["kernel"], cfg["kernel"], generator=g)
            b = torch.randn(cfg["c_out"], generator=g)
            return lambda: F.conv2d(x, w, b, stride=cfg["stride"], padding=cfg["padding"],
                                    dilation=cfg["dilation"], groups=cfg["groups"])
        w = torch.randn(cfg["c_in"], cfg["c_out"] // cfg["groups"], cfg["kernel"], cfg["kernel"], generator=g)
        b = torch.randn(cfg["c_out"], generator=g)
        return lambda: F.conv_transpose2d(x, w, b, stride=cfg["stride"], padding=cfg["padding"],
                                          dilation=cfg["dilation"], groups=cfg["groups"])
    if cfg["op"] == "grad":
        # Forward and backward through autograd (input, weight and bias gradients).
        L = cfg["layer"]
        g = torch.Generator().manual_seed(0)
        x = torch.randn(L["n"], L["c_in"], L["h"], L["w"], generator=g, requires_grad=True)
        t = L["op"] == "conv_transpose2d"
        w = torch.randn(L["c_in"] if t else L["c_out"], (L["c_out"] if t else L["c_in"]) // L["groups"],
                        L["kernel"], L["kernel"], generator=g, requires_grad=True)
        b = torch.randn(L["c_out"], generator=g, requires_grad=True)
        op = F.conv_transpose2d if t else F.conv2d
        kw = dict(stride=L["stride"], padding=L["padding"], dilation=L["dilation"], groups=L["groups"])
        dy = torch.randn_like(op(x, w, b, **kw))

        def run():
            y = op(x, w, b, **kw)
            gx, gw, gb = torch.autograd.grad(y, (x, w, b), dy)
            return gx
        return run
    if cfg["op"] == "train":
        # One Adam step (forward, MSE, backward, update) of the model, as ConvScope times it.
        model = eval(cfg["model"], {"nn": torch.nn})  # the suite's own fixed model strings
        x = torch.randn(*cfg["input"])
        target = torch.randn_like(model(x)).detach()
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)

        def run():
            opt.zero_grad()
            loss = F.mse_loss(model(x), target)
            loss.backward()
            opt.step()
            return loss
        return run
    if cfg["op"] == "rf":
        # Path counts by autograd: all-ones single-channel weights, gradient of one output cell.
        layers = cfg["layers"]
        h, w = cfg["input_size"]
        r, c = cfg["output_cell"]

        def run():
            x = torch.zeros(1, 1, h, w, requires_grad=True)
            y = x
            for L in layers:
                k, s, p, d = L["kernel_size"], L["stride"], L["padding"], L["dilation"]
                ones = torch.ones(1, 1, k[0], k[1])
                if L["op"] == "conv2d":
                    y = F.conv2d(y, ones, stride=s, padding=p, dilation=d)
                elif L["op"] == "conv_transpose2d":
                    y = F.conv_transpose2d(y, ones, stride=s, padding=p, dilation=d,
                                           output_padding=L.get("output_padding", [0, 0]))
                else:  # a pool counts like an all-ones convolution of its window
                    y = F.conv2d(y, ones, stride=s, padding=p, dilation=d)
            y[0, 0, r, c].backward()
            return x.grad
        return run
    raise ValueError(cfg["op"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("convscope", nargs="?", default="build/convscope")
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--case", action="append", help="only these cases (repeatable)")
    args = ap.parse_args()
    listing = subprocess.run([args.convscope, "bench", "--list"], check=True, capture_output=True, text=True).stdout
    cases = [json.loads(l) for l in listing.splitlines() if l.strip()]
    cases = [c for c in cases if c["config"].get("op") != "lab"]  # the lab's speed has no PyTorch twin here
    if args.case:
        cases = [c for c in cases if c["case"] in args.case]
    print(f"{'case':<20} {'convscope ms':>13} {'pytorch ms':>11} {'speed-up':>9}")
    ratios = []
    for case in cases:
        ours = json.loads(subprocess.run([args.convscope, "bench", "--case", case["case"], "--seconds", str(args.seconds)],
                                         check=True, capture_output=True, text=True).stdout)
        theirs, _ = time_fn(torch_case(case["config"]), args.seconds)
        ratio = theirs / ours["median_ms"]
        ratios.append(ratio)
        print(f"{case['case']:<20} {ours['median_ms']:>13.3f} {theirs:>11.3f} {ratio:>8.1f}x", flush=True)
    gm = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
    print(f"{'geometric mean':<20} {'':>13} {'':>11} {gm:>8.1f}x")


if __name__ == "__main__":
    sys.exit(main())
