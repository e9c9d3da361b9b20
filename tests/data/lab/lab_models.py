#!/usr/bin/env python3
"""The models of ConvScope's upsampling lab (lab-upsampling), rebuilt in PyTorch.

Written by `convscope export --preset lab-upsampling ... --weights DIR` next to the .npy files
it loads: input.npy (1 x C x h x w), target.npy (1 x C x H x W) and per model m and
layer with weights l: m<m>_l<l>_weight_init.npy / _bias_init.npy (where training started)
and m<m>_l<l>_weight.npy / _bias.npy (what it learned).

  python3 lab_models.py            # the learned models' loss and PSNR on the target
  python3 lab_models.py --retrain  # train again from the initial weights, losses as JSON
"""
import json
import math
import os
import sys

import numpy as np
import torch
from torch import nn

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))
STEPS = int(os.environ.get('LAB_STEPS', '0'))


def load(name):
    return torch.from_numpy(np.load(os.path.join(HERE, name)))


def models():
    """Every model of the lab, in order, with its name."""
    return [
        ("ConvTranspose2d k=3 s=2", nn.ConvTranspose2d(3, 3, kernel_size=3, stride=2, padding=1, output_padding=1)),
        ("ConvTranspose2d k=4 s=2", nn.ConvTranspose2d(3, 3, kernel_size=4, stride=2, padding=1)),
        ("nearest + Conv2d", nn.Sequential(nn.Upsample(scale_factor=2, mode='nearest'), nn.Conv2d(3, 3, kernel_size=3, padding=1))),
        ("bilinear + Conv2d", nn.Sequential(nn.Upsample(scale_factor=2, mode='bilinear'), nn.Conv2d(3, 3, kernel_size=3, padding=1))),
        ("Conv2d + PixelShuffle (ICNR)", nn.Sequential(nn.Conv2d(3, 12, kernel_size=3, padding=1), nn.PixelShuffle(2))),
    ]


def with_weights(model, index, suffix):
    """Copies the weights m<index>_l<l>_weight<suffix>.npy into the layers that have them."""
    layers = list(model) if isinstance(model, nn.Sequential) else [model]
    learned = [m for m in layers if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d))]
    with torch.no_grad():
        for l, layer in enumerate(learned):
            layer.weight.copy_(load('m%d_l%d_weight%s.npy' % (index, l, suffix)))
            if layer.bias is not None:
                layer.bias.copy_(load('m%d_l%d_bias%s.npy' % (index, l, suffix)))
    return model


def main():
    x, target = load('input.npy'), load('target.npy')
    loss_fn = nn.MSELoss()
    if '--retrain' in sys.argv:
        losses = {}
        for index, (name, model) in enumerate(models()):
            with_weights(model, index, '_init')
            optimizer = torch.optim.Adam(model.parameters(), lr=0.01, betas=(0.9, 0.999), eps=1e-08, weight_decay=0)
            losses[name] = []
            for _ in range(STEPS):
                optimizer.zero_grad()
                loss = loss_fn(model(x), target)
                losses[name].append(loss.item())
                loss.backward()
                optimizer.step()
        print(json.dumps(losses))
        return
    for index, (name, model) in enumerate(models()):
        with_weights(model, index, '')
        with torch.no_grad():
            y = model(x)
        mse = torch.mean((y - target) ** 2).item()
        psnr = 99.0 if mse <= 1e-10 else 10 * math.log10(1 / mse)
        print('%-32s loss %.6g  PSNR %.2f dB' % (name, loss_fn(y, target).item(), psnr))


if __name__ == '__main__':
    main()
