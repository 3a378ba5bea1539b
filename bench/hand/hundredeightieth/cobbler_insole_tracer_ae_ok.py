"""Plain torch: a cobbler keeps a record of every customer's insole outline, 40 widths (mm)
measured at even stations from heel to toe on the bench tracer, and wants a 4-number code for
each foot to find the closest stock shoe last. An autoencoder compresses the outline: the
outlines come from foot length, heel width, ball width, arch depth and toe shape (a smooth
curve from those five numbers) plus tracer noise and a pen wobble. MLP autoencoder
40-64-16-4 / 4-16-64-40 with GELU, Adam 2e-3 with cosine decay, batch 32, 30 epochs of 1024
outlines; a JSON-lines log per step ({"it", "epoch", "mse"}) with a validation record
({"it", "epoch", "val_mse"}) every 16 steps.
Healthy: val MSE 0.168 after epoch 1, 0.0166 after 4, 0.0103 after 10, 0.0094 after 16,
0.0091 at epoch 30 (the outlines' variance is 0.22, so 96 % is reconstructed through four
numbers; the noise floor is ~0.001 but five shape factors do not fit into four); the
per-step train MSE hovers around the val MSE (0.008–0.013 at the end)."""
import json
import math

import torch
import torch.nn as nn

S = 40


def outlines(n, g):
    s = torch.linspace(0, 1, S)
    length = 0.9 + 0.2 * torch.rand(n, 1, generator=g)
    heel = 55 + 10 * torch.rand(n, 1, generator=g)
    ball = 85 + 20 * torch.rand(n, 1, generator=g)
    arch = 8 + 12 * torch.rand(n, 1, generator=g)
    toe = torch.rand(n, 1, generator=g)
    u = (s[None] / length).clamp(max=1)
    width = heel + (ball - heel) * torch.sin(math.pi * 0.5 * (u / 0.7).clamp(max=1)) ** 2
    width = width - arch * torch.exp(-((u - 0.45) ** 2) / 0.01)
    tip = (u - 0.75).clamp(min=0) / 0.25
    width = width * (1 - tip ** (1.5 + 2 * toe))
    width = width + 0.8 * torch.randn(n, S, generator=g) + 0.5 * torch.sin(
        s[None] * 40 + 6.28 * torch.rand(n, 1, generator=g))
    return (width - 70) / 25


class OutlineAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(S, 64), nn.GELU(), nn.Linear(64, 16), nn.GELU(),
                                 nn.Linear(16, 4))
        self.dec = nn.Sequential(nn.Linear(4, 16), nn.GELU(), nn.Linear(16, 64), nn.GELU(),
                                 nn.Linear(64, S))

    def forward(self, x):
        return self.dec(self.enc(x))


def build():
    torch.manual_seed(0)
    return OutlineAE()


def main():
    from _hundredeightieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x = outlines(1280, g)
    xtr, xva = x[:1024], x[1024:]
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr), batch_size=32,
                                        shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=30 * len(train))
    lines = []
    it = 0
    for epoch in range(30):
        for (xb,) in train:
            model.train()
            loss = nn.functional.mse_loss(model(xb), xb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            it += 1
            lines.append(json.dumps({"it": it, "epoch": epoch, "mse": round(loss.item(), 5)}))
            if it % 16 == 0:
                model.eval()
                with torch.no_grad():
                    vm = nn.functional.mse_loss(model(xva), xva).item()
                lines.append(json.dumps({"it": it, "epoch": epoch, "val_mse": round(vm, 5)}))
        print(epoch, loss.item(), vm)
    (out / "outline_ae.jsonl").write_text("\n".join(lines) + "\n")
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
                "epoch": 30, "it": it}, out / "outline_ae.pth")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[], checkpoint="outline_ae.pth",
           log="outline_ae.jsonl",
           what="cobbler's insole-outline MLP autoencoder with a 4-number code (healthy)")


if __name__ == "__main__":
    main()
