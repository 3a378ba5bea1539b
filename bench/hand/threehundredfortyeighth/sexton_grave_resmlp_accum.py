"""Plain torch: a residual MLP estimates how many hours a sexton needs to open a grave, so the
parish can tell the undertaker when the plot will be ready. The hours come from the volume dug
(2.1 m × 0.8 m × the depth asked for, 1.2-2.1 m; double graves go deeper) at a rate set by the
ground (sand 1.1 m³/h, loam 0.8, clay 0.5, chalk 0.35, stony 0.3), slowed by wet clay and loam,
by a frost crust in winter (hours per 10 cm frozen), by old tree roots and by shoring in sand
below 1.5 m; with the mini-digger the rate is ×3.5 but it takes 1.2 h to bring in and out.
Plus the sexton's own pace (about ±10 %). Input: 11 standardised numbers (depth, one-hot
ground, wetness, frost cm, root density, digger 0/1, churchyard slope). Target: (hours - mean)
/ sd. Model: Linear 11→64, 3 residual blocks (Linear-ReLU-Linear, skip), Linear 64→1; MSE,
SGD 0.04 with momentum 0.9 and MultiStepLR (×0.3 at optimizer steps 300 and 450), micro-batches
of 16 accumulated over 8 (128 graves a step), 12 epochs, 5120 records, validation on 1000.
The bug: the micro-batch loss is backpropagated as it is, ``loss = mse  # mean over the
micro-batch``, and the 8 gradients summed, so each step is 8× the intended gradient: the
first epoch's train MSE is 3.1e9 (val MSE 4.0e8), it falls back over 5 epochs and the net
ends predicting about the mean, val MSE 0.944 (target variance 1) and MAE 3.13 h from epoch 6
on (control, ``loss = mse / ACCUM``: val MSE 0.0165 → 0.00486, MAE 0.39 → 0.21 h).
Log: TSV per optimizer step ``grave_steps.tsv`` (``opt_step`` / ``epoch`` / ``lr`` /
``mse``) and a per-epoch TSV ``grave_epochs.tsv`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_mae_h``, named as the log in the truth); checkpoint ``grave_hours.pth`` with keys
``weights`` / ``sgd_state`` / ``sched_state`` / ``epoch`` / ``feat_mean`` / ``feat_std`` /
``hours_mean_sd`` / ``accum``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

ACCUM = 8
RATE = torch.tensor([1.1, 0.8, 0.5, 0.35, 0.3])  # m³/h: sand, loam, clay, chalk, stony


def graves(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    ground = torch.randint(0, 5, (n,), generator=g)
    depth = 1.2 + 0.9 * r(n)
    wet = r(n)
    winter = r(n) < 0.3
    frost = winter * 25 * r(n)
    roots = r(n) ** 2
    digger = (r(n) < 0.35).float()
    slope = 0.2 * r(n)
    rate = RATE[ground] * (1 - 0.35 * wet * ((ground == 1) | (ground == 2)).float())
    rate = rate * (1 - 0.4 * roots) * (1 + 2.5 * digger) * (1 - slope)
    hours = 2.1 * 0.8 * depth / rate + 0.08 * frost * (1 - 0.6 * digger)
    hours = hours + ((ground == 0) & (depth > 1.5)).float() * (depth - 1.5) * 3.0
    hours = hours + 1.2 * digger
    hours = hours * (1 + 0.1 * (r(n) - 0.5))
    x = torch.stack([depth, *F.one_hot(ground, 5).float().T, wet, frost, roots, digger, slope], 1)
    return x, hours.unsqueeze(1)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, d))

    def forward(self, x):
        return torch.relu(x + self.f(x))


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(11, 64), nn.ReLU(), Block(64), Block(64), Block(64),
                         nn.Linear(64, 1))


def main():
    from _threehundredfortyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, htr = graves(5120, g)
    xva, hva = graves(1000, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    hm, hs = htr.mean(), htr.std()
    print("hours", hm.item(), hs.item(), htr.min().item(), htr.max().item())
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    ytr, yva = (htr - hm) / hs, (hva - hm) / hs
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.04, momentum=0.9)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[300, 450], gamma=0.3)
    step = 0
    with open(out / "grave_steps.tsv", "w") as fs, open(out / "grave_epochs.tsv", "w") as fe:
        fs.write("opt_step\tepoch\tlr\tmse\n")
        fe.write("epoch\ttrain_mse\tval_mse\tval_mae_h\n")
        for epoch in range(12):
            model.train()
            tot, cnt, acc_loss = 0.0, 0, 0.0
            opt.zero_grad()
            for i, (xb, yb) in enumerate(dl):
                mse = F.mse_loss(model(xb), yb)
                loss = mse  # mean over the micro-batch
                loss.backward()
                acc_loss += mse.item() / ACCUM
                if (i + 1) % ACCUM == 0:
                    opt.step()
                    opt.zero_grad()
                    sched.step()
                    step += 1
                    fs.write(f"{step}\t{epoch}\t{sched.get_last_lr()[0]:.5g}\t{acc_loss:.6g}\n")
                    tot, cnt, acc_loss = tot + acc_loss, cnt + 1, 0.0
            model.eval()
            with torch.no_grad():
                p = model(xva)
            vm = F.mse_loss(p, yva).item()
            mae = ((p - yva).abs().mean() * hs).item()
            fe.write(f"{epoch}\t{tot / cnt:.6g}\t{vm:.6g}\t{mae:.5g}\n")
            print(epoch, tot / cnt, vm, mae)
    torch.save({"weights": model.state_dict(), "sgd_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "epoch": 12, "feat_mean": mu, "feat_std": sd,
                "hours_mean_sd": (hm.item(), hs.item()), "accum": ACCUM}, out / "grave_hours.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["grad_accum_unscaled"],
           checkpoint="grave_hours.pth", log="grave_epochs.tsv",
           what="residual MLP estimating a sexton's grave-digging hours; gradient accumulation"
                " over 8 micro-batches with the micro-batch loss never divided by 8",
           complaint="Our grave-digging time estimator is useless. The first epoch printed a"
                     " training loss of 3,125,690,094 (yes, billions), then it came down and"
                     " has sat at about 1.0 since epoch 6; the validation error is 3.1 hours on"
                     " jobs that take 7 hours on average, and every grave gets the same"
                     " estimate whatever the soil.")


if __name__ == "__main__":
    main()
