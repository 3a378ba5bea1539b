"""Denoising autoencoder for 1-D spectroscopy scans (128 points: 2-4 Gaussian peaks on a
baseline, Poisson-like noise in, clean scan out), a small conv encoder/decoder, SGD with
momentum 0.9 at 0.01, MSE. While tidying the loop into a ``train_step`` helper the
``optimizer.zero_grad()`` line was dropped (bug: gradients accumulate over the whole run;
each step applies the sum of all past gradients and the reconstruction loss oscillates
and blows up to inf by epoch 7). Checkpoint every epoch, log as JSON lines."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

N = 128


def scans(n, g):
    t = torch.linspace(0, 1, N)
    clean = 0.2 + 0.3 * t.expand(n, N).clone()
    for _ in range(4):
        on = (torch.rand(n, 1, generator=g) < 0.75).float()
        c, w = torch.rand(n, 1, generator=g), 0.01 + 0.03 * torch.rand(n, 1, generator=g)
        clean += on * torch.rand(n, 1, generator=g) * torch.exp(-((t - c) / w) ** 2)
    noisy = clean + 0.08 * clean.sqrt() * torch.randn(n, N, generator=g)
    return noisy.unsqueeze(1), clean.unsqueeze(1)


class ScanDAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv1d(1, 16, 5, padding=2), nn.ReLU(),
                                 nn.Conv1d(16, 32, 5, stride=2, padding=2), nn.ReLU())
        self.dec = nn.Sequential(nn.ConvTranspose1d(32, 16, 4, stride=2, padding=1), nn.ReLU(),
                                 nn.Conv1d(16, 1, 5, padding=2))

    def forward(self, x):
        return self.dec(self.enc(x))


def build():
    torch.manual_seed(0)
    return ScanDAE()


def train_step(model, optimizer, noisy, clean):
    loss = F.mse_loss(model(noisy), clean)
    loss.backward()  # BUG: optimizer.zero_grad() lost in the refactor
    optimizer.step()
    return loss.item()


def main():
    from _fifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = scans(3000, g), scans(500, g)
    model = build()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    with open(out / "dae_log.jsonl", "w") as f:
        for epoch in range(10):
            model.train()
            perm = torch.randperm(len(x), generator=g)
            losses = [train_step(model, optimizer, x[perm[i:i + 50]], y[perm[i:i + 50]])
                      for i in range(0, len(x), 50)]
            model.eval()
            with torch.no_grad():
                val = F.mse_loss(model(vx), vy).item()
            f.write(json.dumps({"epoch": epoch, "train_loss": sum(losses) / len(losses),
                                "val_loss": val}) + "\n")
            torch.save({"epoch": epoch, "model_state_dict": model.state_dict(),
                        "optimizer_state_dict": optimizer.state_dict()}, out / "dae_last.pt")
    print("val mse", val, "noise mse", F.mse_loss(vx, vy).item())
    finish(out, __file__, (vx[:64], vy[:64]), causes=["missing_zero_grad"],
           checkpoint="dae_last.pt", log="dae_log.jsonl",
           what="optimizer.zero_grad() dropped from the train step (SGD + momentum)",
           complaint="my denoising autoencoder loss explodes to inf within a few epochs")


if __name__ == "__main__":
    main()
