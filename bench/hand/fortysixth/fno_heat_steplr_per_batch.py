"""1-D Fourier neural operator for a synthetic diffusion (heat) equation on a periodic rod:
u_t = nu u_xx, 64 grid points, an initial state u0 made of 1–6 random Fourier modes
(wavenumbers up to 10) plus a random offset, the target the exact state at t = 1.25e-3 with nu
drawn per sample from [0.2, 1.0] and fed as a constant second input channel (so the operator
must learn the k-dependent decay exp(-nu k^2 t)); 1 % measurement noise on the targets.
FNO: lift (u0, nu, x) → 32 channels, 3 Fourier layers (spectral convolution keeping the lowest 12
modes + a pointwise 1×1 conv, GELU), project 32 → 64 → 1. Adam 2e-3, batch 32, 1000 train and
200 val samples, 24 epochs; ``StepLR(step_size=8, gamma=0.5)`` meant per epoch. The log
(JSON lines) holds per epoch the train MSE, the val relative L2 error and the lr.
Bug: ``sched.step()`` sits inside the batch loop (32 batches an epoch), so the lr halves every
8 batches: 2e-3 → 1.3e-4 after epoch 1, 7.8e-6 after epoch 2, 2.5e-32 at the end, and training
stalls from epoch 3 with the val relative error at 0.31 (0.027 with the step per epoch)."""
import json

import torch
import torch.nn as nn

N, MODES, WIDTH = 64, 12, 32


def heat(n, g):
    x = torch.arange(N) / N
    k = torch.randint(1, 11, (n, 6), generator=g).float()
    amp = torch.randn(n, 6, generator=g) * (torch.rand(n, 6, generator=g) < 0.6)
    amp[:, 0] = torch.randn(n, generator=g)
    phase = torch.rand(n, 6, generator=g) * 6.2832
    nu = 0.2 + 0.8 * torch.rand(n, 1, generator=g)
    modes = torch.sin(6.2832 * k[:, :, None] * x + phase[:, :, None])
    off = 0.5 * torch.randn(n, 1, generator=g)
    u0 = off + (amp[:, :, None] * modes).sum(1)
    decay = torch.exp(-nu * (6.2832 * k) ** 2 * 1.25e-3)
    u1 = off + (amp[:, :, None] * decay[:, :, None] * modes).sum(1)
    u1 = u1 + 0.01 * u1.std() * torch.randn(u1.shape, generator=g)
    inp = torch.stack([u0, nu.expand(n, N), x.expand(n, N)], 1)
    return inp, u1


class SpectralConv(nn.Module):
    def __init__(self):
        super().__init__()
        scale = 1 / (WIDTH * WIDTH)
        self.w = nn.Parameter(scale * torch.randn(WIDTH, WIDTH, MODES, 2))

    def forward(self, h):
        f = torch.fft.rfft(h)
        out = torch.zeros(h.shape[0], WIDTH, N // 2 + 1, dtype=torch.cfloat)
        out[:, :, :MODES] = torch.einsum("bim,iom->bom", f[:, :, :MODES],
                                         torch.view_as_complex(self.w))
        return torch.fft.irfft(out, n=N)


class FNO(nn.Module):
    def __init__(self):
        super().__init__()
        self.lift = nn.Conv1d(3, WIDTH, 1)
        self.spec = nn.ModuleList(SpectralConv() for _ in range(3))
        self.point = nn.ModuleList(nn.Conv1d(WIDTH, WIDTH, 1) for _ in range(3))
        self.proj = nn.Sequential(nn.Conv1d(WIDTH, 64, 1), nn.GELU(), nn.Conv1d(64, 1, 1))

    def forward(self, u):
        h = self.lift(u)
        for i, (s, p) in enumerate(zip(self.spec, self.point, strict=True)):
            h = s(h) + p(h)
            if i < 2:
                h = nn.functional.gelu(h)
        return self.proj(h).squeeze(1)


def build():
    torch.manual_seed(0)
    return FNO()


def rel_l2(pred, y):
    return ((pred - y).norm(dim=1) / y.norm(dim=1)).mean().item()


def main():
    from _fortysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = heat(1200, g)
    tx, ty, vx, vy = x[:1000], y[:1000], x[1000:], y[1000:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=8, gamma=0.5)
    log = open(out / "fno_log.jsonl", "w")
    for ep in range(24):
        model.train()
        total = 0.0
        for idx in torch.randperm(1000, generator=g).split(32):
            loss = nn.functional.mse_loss(model(tx[idx]), ty[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            pv = model(vx)
            vmse, vrel = nn.functional.mse_loss(pv, vy).item(), rel_l2(pv, vy)
        row = {"ep": ep + 1, "train_mse": round(total / 1000, 6), "val_mse": round(vmse, 6),
               "val_rel_l2": round(vrel, 5), "lr": opt.param_groups[0]["lr"]}
        log.write(json.dumps(row) + "\n")
        print(row)
    log.close()
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(),
                "sched": sched.state_dict(), "ep": ep + 1}, out / "fno_heat.pt")
    finish(out, __file__, (vx[:32], vy[:32]), causes=["scheduler_step_per_batch"],
           checkpoint="fno_heat.pt", log="fno_log.jsonl",
           what="1-D Fourier neural operator, heat equation, StepLR stepped every batch",
           complaint="the neural operator's error drops for two epochs and then freezes; "
                     "the val relative error stays around the same value for the remaining "
                     "20 epochs no matter how long it trains")


if __name__ == "__main__":
    main()
