"""Noise2Noise denoiser (Lehtinen et al. 2018): a small conv net trained to map one noisy copy
of an image to a second, independently noised copy of the same image — it never sees a clean
target. Synthetic 24×24 grey textures (a sum of three random oriented sinusoids plus a smooth
shading, stored as 8-bit values 0–255), Gaussian noise σ = 25 grey levels on each copy. Net:
4 × Conv3×3 (1 → 32 → 32 → 32 → 1) with ReLU between, the output is the denoised image (no
residual). SGD 0.05 with momentum 0.9, gradient norm clipped at 1.0, batch 32, 400 iterations
over 1200 pairs; CSV log every 25 iterations
(train MSE against the second noisy copy, validation MSE against the *clean* image and PSNR in
dB with peak 255 or 1.0, whichever scale the pixels are in).
Bug: the images are fed as ``torch.tensor(uint8_array).float()`` — raw grey levels 0–255 —
instead of divided by 255 (the control); the net's init and the SGD step were set for inputs of
order 1. With inputs and targets ~200× larger every gradient is clipped, the outputs swing, and
the validation PSNR oscillates below the noisy input's own (20.2 dB)."""
import csv
import math

import torch
import torch.nn as nn

SIDE, SIGMA = 24, 25.0
SCALE = 1.0  # the bug: 1 / 255 is the control


def textures(n, g):
    rr, cc = torch.meshgrid(torch.arange(SIDE).float(), torch.arange(SIDE).float(),
                            indexing="ij")
    img = torch.zeros(n, SIDE, SIDE)
    for _ in range(3):
        theta = torch.rand(n, 1, 1, generator=g) * math.pi
        freq = torch.rand(n, 1, 1, generator=g) * 0.6 + 0.2
        phase = torch.rand(n, 1, 1, generator=g) * 2 * math.pi
        amp = torch.rand(n, 1, 1, generator=g) * 30 + 15
        img += amp * torch.sin(freq * (rr * torch.cos(theta) + cc * torch.sin(theta)) + phase)
    img += 128 + 40 * torch.tanh((rr - 12) * (torch.rand(n, 1, 1, generator=g) - 0.5) / 6)
    clean = img.clamp(0, 255).round()
    return clean[:, None]


def noisy(clean, g):
    return (clean + SIGMA * torch.randn(clean.shape, generator=g)).clamp(0, 255).round()


class Denoiser(nn.Module):
    def __init__(self):
        super().__init__()
        layers, c = [], 1
        for _ in range(3):
            layers += [nn.Conv2d(c, 32, 3, padding=1), nn.ReLU()]
            c = 32
        layers.append(nn.Conv2d(32, 1, 3, padding=1))
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return Denoiser()


def main():
    from _fiftyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    clean = textures(1400, g)
    a, b = noisy(clean, g), noisy(clean, g)                 # two independent noisy copies
    a, b, clean = a * SCALE, b * SCALE, clean * SCALE       # as the loader hands them over
    ta, tb, va, vclean = a[:1200], b[:1200], a[1200:], clean[1200:]
    peak = 255.0 * SCALE
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    mse = nn.MSELoss()
    with open(out / "n2n_log.csv", "w", newline="") as fh:
        log = csv.writer(fh)
        log.writerow(["iteration", "train_mse", "val_mse_clean", "val_psnr_db"])
        it, running = 0, []
        while it < 400:
            for idx in torch.randperm(1200, generator=g).split(32):
                loss = mse(model(ta[idx]), tb[idx])
                opt.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                it += 1
                running.append(loss.item())
                if it % 25 == 0:
                    with torch.no_grad():
                        v = mse(model(va), vclean).item()
                    psnr = 10 * math.log10(peak ** 2 / v) if v > 0 else float("inf")
                    row = [it, round(sum(running) / len(running), 6), round(v, 6),
                           round(psnr, 3)]
                    log.writerow(row)
                    print(row)
                    running = []
                if it == 400:
                    break
    torch.save({"denoiser": model.state_dict(), "sgd": opt.state_dict(), "it": it,
                "sigma": SIGMA}, out / "n2n_textures.pt")
    noisy_psnr = 10 * math.log10(peak ** 2 / mse(va, vclean).item())
    print("input PSNR", round(noisy_psnr, 2))
    finish(out, __file__, (va[:32], b[1200:1232]), causes=["input_not_normalized"],
           checkpoint="n2n_textures.pt", log="n2n_log.csv",
           what="Noise2Noise conv denoiser of grey textures, pixels fed as raw 0-255 floats",
           complaint="noise2noise denoiser on my textures: the training MSE hovers around "
                     "1800-1900 and the validation PSNR jumps between 15 and 20 dB, i.e. the "
                     "'denoised' images are worse than the noisy inputs (20.2 dB). The paper "
                     "gets big gains at this noise level.")


if __name__ == "__main__":
    main()
