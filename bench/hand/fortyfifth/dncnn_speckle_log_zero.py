"""DnCNN-style residual denoiser (Zhang et al.) for multiplicative speckle, as used on radar
images, in the log domain: the input is ``log(noisy)``, the net (conv 3×3 + ReLU, five conv +
BatchNorm + ReLU blocks of 24 channels, a last conv) predicts the log speckle and the
despeckled image is ``exp(log(noisy) − net(log(noisy)))``. Synthetic grey 24×24 textures (two
oriented gratings of random frequency, a soft blob, an offset), 4-look speckle (Gamma(4, 1/4),
mean 1, input PSNR 13 dB); 1 texture in 20 has a radar shadow, a region of exact zero
return. MSE on the log speckle, Adam 2e-3, batch 16, 6 epochs of 40 steps, a validation PSNR on
128 held-out textures (without shadows) every 20 steps.
Bug: ``torch.log(noisy)`` and ``torch.log(clean)`` with no floor; a shadow pixel gives
log 0 = −inf and a target of −inf − (−inf) = NaN. Train loss 0.408, 0.275, 0.191, 0.182 at
steps 1–4, NaN from step 5 (the first batch holding a shadowed texture) to the end, val PSNR NaN
at every check (input 13.0 dB) (control, ``torch.log(noisy.clamp_min(1e-3))`` and the same for
the clean image: val PSNR 15.1 → 18.5 dB, log-speckle MSE 0.094 → 0.057–0.060).
"""
import csv

import torch
import torch.nn as nn

SIZE, LOOKS, C = 24, 4, 24


def textures(n, g, shadows=0.05):
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, SIZE), torch.linspace(-1, 1, SIZE),
                            indexing="ij")
    img = 0.5 + 0.1 * torch.randn(n, 1, 1, generator=g)
    for _ in range(2):
        th = torch.pi * torch.rand(n, 1, 1, generator=g)
        f = 2 + 6 * torch.rand(n, 1, 1, generator=g)
        ph = 6.28 * torch.rand(n, 1, 1, generator=g)
        img = img + 0.15 * torch.sin(f * (xx * torch.cos(th) + yy * torch.sin(th)) * 3.14 + ph)
    c = 1.4 * torch.rand(n, 2, 1, 1, generator=g) - 0.7
    img = img + 0.25 * torch.exp(-((xx - c[:, 0]) ** 2 + (yy - c[:, 1]) ** 2) / 0.1)
    img = img.clamp(0.05, 1)
    edge = 2 * torch.rand(n, 1, 1, generator=g) - 1
    shadow = (torch.rand(n, 1, 1, generator=g) < shadows) & (xx > edge)
    return torch.where(shadow, torch.zeros_like(img), img)[:, None]


def speckle(shape, g):
    u = torch.rand((LOOKS,) + tuple(shape), generator=g).clamp_min(1e-12)
    return (-u.log()).sum(0) / LOOKS


class DnCNN(nn.Module):
    def __init__(self):
        super().__init__()
        layers = [nn.Conv2d(1, C, 3, padding=1), nn.ReLU()]
        for _ in range(5):
            layers += [nn.Conv2d(C, C, 3, padding=1, bias=False), nn.BatchNorm2d(C), nn.ReLU()]
        layers.append(nn.Conv2d(C, 1, 3, padding=1))
        self.body = nn.Sequential(*layers)

    def forward(self, log_noisy):
        return self.body(log_noisy)  # the predicted log speckle


def build():
    torch.manual_seed(0)
    return DnCNN()


def psnr(model, clean, noisy):
    model.eval()
    with torch.no_grad():
        log_noisy = torch.log(noisy)
        est = torch.exp(log_noisy - model(log_noisy)).clamp(0, 1)
        mse = (est - clean).pow(2).mean().item()
    return 10 * torch.log10(torch.tensor(1 / mse)).item()


def main():
    from _fortyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    clean = textures(640, g)
    vclean = textures(128, g, shadows=0.0)
    vnoisy = vclean * speckle(vclean.shape, g)
    in_psnr = 10 * torch.log10(1 / (vnoisy.clamp(0, 1) - vclean).pow(2).mean()).item()
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    step = 0
    with open(out / "despeckle_log.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["ep", "step", "log_speckle_mse", "val_psnr", "input_psnr"])
        for ep in range(6):
            perm = torch.randperm(640, generator=g)
            for i in range(0, 640, 16):
                model.train()
                x = clean[perm[i:i + 16]]
                noisy = x * speckle(x.shape, g)
                log_noisy = torch.log(noisy)
                target = log_noisy - torch.log(x)  # the log speckle
                loss = nn.functional.mse_loss(model(log_noisy), target)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 20 == 0:
                    v = psnr(model, vclean, vnoisy)
                    log.writerow([ep, step, f"{loss.item():.6f}", f"{v:.3f}", f"{in_psnr:.3f}"])
                    print(ep, step, f"{loss.item():.5f} {v:.2f}")
                else:
                    log.writerow([ep, step, f"{loss.item():.6f}", "", ""])
    torch.save({"net": model.state_dict(), "optimiser": opt.state_dict(), "ep": 5,
                "looks": LOOKS}, out / "dncnn_speckle.pt")
    x = clean[:32]  # a training batch as the loop builds it
    noisy = x * speckle(x.shape, g)
    finish(out, __file__, (torch.log(noisy), torch.log(noisy) - torch.log(x)),
           causes=["numerical_log_or_div_zero"], checkpoint="dncnn_speckle.pt",
           log="despeckle_log.csv",
           what="log-domain DnCNN despeckler, torch.log of images with exact-zero shadows",
           complaint="The despeckling loss is nan from the first steps and the validation PSNR "
                     "is nan at every check. Same DnCNN and log-domain setup that trained fine on "
                     "our previous batch of synthetic scenes.")


if __name__ == "__main__":
    main()
