#!/usr/bin/env python3
"""Recompute every answer of a worksheet key (convscope worksheet --answers key.json)
with PyTorch and say whether each equals the key's.

    python3 bench/check_worksheet_pytorch.py key.json

output_shape and output_values run the layer's code (nn.Conv2d / nn.ConvTranspose2d)
with the key's weight and bias; rf_size and cells_read come from autograd: the input
cells whose gradient of the asked output cell is non-zero with all-ones weights.
Exit status 0 when every answer matches, 1 otherwise."""
import json
import sys

import torch
from torch import nn  # noqa: F401  (the key's code says nn.Conv2d(...))


def tensor(t):
    return torch.tensor(t["data"], dtype=torch.float64).reshape(t["shape"])


def layer_of(q):
    layer = eval(q["code"], {"nn": nn})  # the key's own line, written by convscope
    layer = layer.double()
    with torch.no_grad():
        layer.weight.copy_(tensor(q["weight"]))
        if layer.bias is not None:
            layer.bias.copy_(tensor(q["bias"]))
    return layer


def cells_read(q):
    layer = layer_of(q)
    with torch.no_grad():
        layer.weight.fill_(1.0)
    x = tensor(q["input"]).clone().requires_grad_(True)
    r, c = q["cell"]
    layer(x)[0, 0, r, c].backward()
    return [[int(i), int(j)] for i, j in (x.grad[0, 0] != 0).nonzero().tolist()]


def answer(q):
    kind = q["kind"]
    if kind == "output_shape":
        return list(layer_of(q)(tensor(q["input"])).shape)
    if kind == "output_values":
        y = layer_of(q)(tensor(q["input"])).detach()
        return {"shape": list(y.shape), "data": y.flatten().tolist()}
    cells = cells_read(q)
    if kind == "cells_read":
        return cells
    rows = [rc[0] for rc in cells]
    cols = [rc[1] for rc in cells]
    return [max(rows) - min(rows) + 1, max(cols) - min(cols) + 1] if cells else [0, 0]


def main():
    key = json.load(open(sys.argv[1]))
    bad = 0
    for i, q in enumerate(key["questions"]):
        got = answer(q)
        ok = got == q["answer"]
        bad += not ok
        print(f"{i + 1:3d} {q['kind']:14s} {'ok' if ok else 'DIFFERS'}  {q['code']}")
        if not ok:
            print(f"    key:     {q['answer']}\n    pytorch: {got}")
    print(f"{len(key['questions']) - bad} of {len(key['questions'])} answers equal PyTorch's")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
