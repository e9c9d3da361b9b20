#!/usr/bin/python3
"""Development check of the upsampling lab against PyTorch (Debian's python3-torch):
trains the lab headless with ConvScope (`convscope export --preset lab-upsampling
--weights DIR`), runs the PyTorch script it writes (`DIR/lab_models.py --retrain`, which
rebuilds every model from the initial .npy weights and trains it with torch.optim) and
compares the two loss curves model by model.

  /usr/bin/python3 bench/lab_pytorch.py [build/convscope] [--steps N] [--preset NAME]

Prints one line per model with the largest relative difference, exit 1 above 1e-8."""
import argparse
import json
import os
import subprocess
import sys
import tempfile


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("convscope", nargs="?", default="build/convscope")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--preset", default="lab-upsampling")
    ap.add_argument("--size", type=int, default=64)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        weights = os.path.join(tmp, "weights")
        subprocess.run([args.convscope, "export", "--preset", args.preset, "--train-steps", str(args.steps),
                        "--lab-size", str(args.size), "--format", "png", "--out", os.path.join(tmp, "lab.png"),
                        "--weights", weights], check=True, stdout=subprocess.DEVNULL)
        ours = json.load(open(os.path.join(weights, "losses.json")))
        run = subprocess.run([sys.executable, os.path.join(weights, "lab_models.py"), "--retrain"], check=True,
                             capture_output=True, text=True, env=dict(os.environ, LAB_STEPS=str(args.steps)))
        theirs = json.loads(run.stdout)
        subprocess.run([sys.executable, os.path.join(weights, "lab_models.py")], check=True)
    worst_all = 0.0
    for name, losses in ours.items():
        ref = theirs[name]
        assert len(ref) == len(losses), name
        worst = max(abs(a - b) / max(abs(b), 1e-300) for a, b in zip(losses, ref))
        worst_all = max(worst_all, worst)
        print("%-34s %d steps, loss %.6g -> %.6g, largest relative difference to PyTorch %.2e"
              % (name, len(losses), losses[0], losses[-1], worst))
    sys.exit(0 if worst_all <= 1e-8 else 1)


if __name__ == "__main__":
    main()
