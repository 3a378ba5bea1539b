"""Plain torch: a residual MLP predicts a motocross bike's race sag (mm) for a rider from 10
numbers: rider weight in kit, rear spring rate, preload turns, shock length, track type
(sand / hardpack / loam as a 0-2 code scaled), bike weight, fork oil height, rider stance,
and two unused columns. Sag follows a spring rule (load over rate, minus preload, plus a
progression term and a stance effect) plus noise, standardised. Three residual blocks of width
64 (Linear-ReLU-Linear + skip, LayerNorm), SGD momentum 0.9 lr 0.015, MSE, micro-batches of 16
with gradient accumulation over 8 (effective batch 128), 16 epochs of 2048 riders, validation
on 512.
The bug: the accumulation loop calls ``loss.backward()`` on every micro-batch without dividing
by ``ACCUM``, so the summed gradient is 8x the mean and SGD effectively runs at lr 0.12. The logged
train MSE goes 0.981, 0.354, 2.04, 2.72, 77.4, 1.28e7, inf over the first 7 optimiser steps
and is NaN from step 8 on; val MSE and MAE are NaN after every epoch. Control (``(loss /
ACCUM).backward()`` on that line): train MSE 0.98 at step 1, val MSE 0.171 → 0.044 (flat
0.043–0.049 from epoch 3, the noise floor is ~0.04), val MAE 2.54 → 1.25 mm.
Log: CSV per optimiser step (``opt_step`` / ``epoch`` / ``train_mse``, the mean of the 8
micro-batch losses) and ``val.csv`` per epoch (``epoch`` / ``val_mse`` / ``val_mae_mm``);
checkpoint ``sag_resmlp.pth`` with ``model`` / ``optimizer`` / ``epoch`` / ``accum``."""
import torch
import torch.nn as nn
import torch.nn.functional as F

ACCUM = 8
SAG_MEAN, SAG_STD = 21.0, 7.5


def riders(n, g):
    w = 60 + 45 * torch.rand(n, generator=g)
    rate = 4.8 + 1.2 * torch.rand(n, generator=g)
    preload = 6 * torch.rand(n, generator=g)
    length = torch.rand(n, generator=g)
    track = torch.randint(0, 3, (n,), generator=g).float()
    bike = 100 + 10 * torch.rand(n, generator=g)
    oil = torch.rand(n, generator=g)
    stance = torch.rand(n, generator=g)
    junk = torch.randn(n, 2, generator=g)
    load = (w + 0.35 * bike) * 9.81 / 10
    sag = (load / rate * 1.05 - 2.8 * preload + 6 * length + 3 * (track - 1) * stance
           + 0.002 * (load - 80) ** 2 + 2 * oil * stance + 1.5 * torch.randn(n, generator=g))
    x = torch.stack([(w - 82) / 13, (rate - 5.4) / 0.35, (preload - 3) / 1.7, length * 2 - 1,
                     track - 1, (bike - 105) / 3, oil * 2 - 1, stance * 2 - 1], 1)
    return torch.cat([x, junk], 1), (sag - SAG_MEAN) / SAG_STD


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, d))

    def forward(self, x):
        return x + self.ff(self.norm(x))


class SagNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(10, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Linear(64, 1)

    def forward(self, x):
        return self.out(self.blocks(self.inp(x))).squeeze(-1)


def build():
    torch.manual_seed(0)
    return SagNet()


def main():
    from _twohundredsixtysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = riders(2048, g)
    xva, yva = riders(512, g)
    print("sag (std units) mean/std", ytr.mean().item(), ytr.std().item())
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                         batch_size=16, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.015, momentum=0.9)
    step = 0
    with open(out / "train.csv", "w") as ft, open(out / "val.csv", "w") as fv:
        ft.write("opt_step,epoch,train_mse\n")
        fv.write("epoch,val_mse,val_mae_mm\n")
        for epoch in range(16):
            model.train()
            acc = 0.0
            opt.zero_grad()
            for i, (xb, yb) in enumerate(loader, 1):
                loss = F.mse_loss(model(xb), yb)
                loss.backward()  # grads add up over the ACCUM micro-batches
                acc += loss.item()
                if i % ACCUM == 0:
                    opt.step()
                    opt.zero_grad()
                    step += 1
                    ft.write(f"{step},{epoch},{acc / ACCUM:.5f}\n")
                    acc = 0.0
            model.eval()
            with torch.no_grad():
                p = model(xva)
            line = (f"{epoch},{F.mse_loss(p, yva).item():.5f},"
                    f"{((p - yva).abs().mean() * SAG_STD).item():.3f}")
            fv.write(line + "\n")
            print(line)
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 16,
                "accum": ACCUM}, out / "sag_resmlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["grad_accum_unscaled"],
           checkpoint="sag_resmlp.pth", log="train.csv",
           what="motocross sag residual MLP with gradient accumulation whose micro-batch losses"
                " are not divided by the accumulation count",
           complaint=("Sag predictor for my motocross suspension app: the loss is fine for the"
                      " first couple of steps, then shoots up (2, 77, 12 million) and is NaN"
                      " from step 8, and every validation number is NaN. The inputs are"
                      " standardised and there are no zeros to divide by. I use micro-batches"
                      " of 16 x 8 because the real version runs on a laptop. Where do NaNs"
                      " come from?"))


if __name__ == "__main__":
    main()
