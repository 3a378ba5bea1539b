"""Plain torch: an embedding model gives the stock removal rate (µm/min) of a lens polishing
station from which polishing pad (12: pitch grades, polyurethane, felt) and which slurry
compound (9: cerium / zirconium / aluminium oxides at different grades) are on it, and the run
settings, so the optical shop can pick a pad + compound for a job. Preston's law: rate =
Kp(pad, compound) · pressure · speed, where Kp is a pad hardness factor times a compound
cutting factor times a pad-compound affinity (soft pitch holds fine cerium, felt loses coarse
alumina), falling with glass hardness; 6 % scatter.
Inputs: pad id, compound id, pressure / 20 kPa, speed / 60 rpm, Knoop hardness / 500; target
µm/min. Pad embedding 8 + compound embedding 8 + 3 numbers → 19→48-SiLU-48→1 whose output is
log Kp, times pressure · speed; MSE on the rate, SGD momentum 0.9 lr 0.05, batch 128, 40 epochs,
3000 runs, validation on 600.
Bug: StepLR(step_size=1, gamma=0.1), stepped once per epoch (meant: divide by 10 every 10
epochs); from epoch 3 on the rate is 5e-5 and falling (5e-41 by the end) and the model
freezes early: val MSE 0.03485 after 40 epochs (frozen from epoch 3; the target variance is
0.086) vs 0.00776 for the control (step_size=10).
Log: TSV per epoch ``padcompound.tsv`` (``ep  lr  loss_train  loss_val  mae_val``);
checkpoint ``padcompound.ckpt`` with keys ``net`` / ``sgd`` / ``steplr`` / ``n_epochs`` /
``pads`` / ``compounds``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

PADS, COMPS = 12, 9


def table(g):
    hard = 0.5 + torch.rand(PADS, generator=g)
    cut = 0.4 + 1.2 * torch.rand(COMPS, generator=g)
    pad_soft = torch.rand(PADS, generator=g)
    grain = torch.rand(COMPS, generator=g)
    aff = torch.exp(-2.0 * (pad_soft[:, None] - (1 - grain[None, :])) ** 2)
    return hard[:, None] * cut[None, :] * (0.4 + aff)


def runs(n, kp, g):
    pad = torch.randint(0, PADS, (n,), generator=g)
    comp = torch.randint(0, COMPS, (n,), generator=g)
    p = 5 + 20 * torch.rand(n, generator=g)
    rpm = 20 + 60 * torch.rand(n, generator=g)
    knoop = 350 + 350 * torch.rand(n, generator=g)
    rate = 0.02 * kp[pad, comp] * p * rpm / 40 * (500 / knoop) ** 0.8
    rate = rate * (1 + 0.06 * torch.randn(n, generator=g))
    num = torch.stack([p / 20, rpm / 60, knoop / 500], 1)
    return pad, comp, num, rate.unsqueeze(1)


class PadCompound(nn.Module):
    def __init__(self):
        super().__init__()
        self.pad = nn.Embedding(PADS, 8)
        self.comp = nn.Embedding(COMPS, 8)
        self.mlp = nn.Sequential(nn.Linear(19, 48), nn.SiLU(), nn.Linear(48, 1))

    def forward(self, pad, comp, num):
        logkp = self.mlp(torch.cat([self.pad(pad), self.comp(comp), num], 1))
        return torch.exp(logkp - 1.5) * (num[:, :1] * num[:, 1:2])


def build():
    torch.manual_seed(0)
    return PadCompound()


def main():
    from _twohundredeightyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    kp = table(g)
    ptr, ctr, ntr, ytr = runs(3000, kp, g)
    pva, cva, nva, yva = runs(600, kp, g)
    print("um/min", ytr.min().item(), ytr.mean().item(), ytr.max().item(), ytr.var().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(ptr, ctr, ntr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.1)  # /10 for the fine-tune
    with open(out / "padcompound.tsv", "w") as f:
        f.write("ep\tlr\tloss_train\tloss_val\tmae_val\n")
        for ep in range(40):
            model.train()
            tot = 0.0
            for pb, cb, nb, yb in loader:
                loss = F.mse_loss(model(pb, cb, nb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                p = model(pva, cva, nva)
                vm = F.mse_loss(p, yva).item()
                mae = (p - yva).abs().mean().item()
            f.write(f"{ep}\t{lr:.3g}\t{tot / len(ytr):.6f}\t{vm:.6f}\t{mae:.5f}\n")
            print(ep, lr, round(tot / len(ytr), 6), round(vm, 6), round(mae, 5))
    torch.save({"net": model.state_dict(), "sgd": opt.state_dict(), "steplr": sched.state_dict(),
                "n_epochs": 40, "pads": PADS, "compounds": COMPS}, out / "padcompound.ckpt")
    finish(out, __file__, {"inputs": pva[:64], "compound": cva[:64], "num": nva[:64],
                           "targets": yva[:64]},
           causes=["lr_decay_too_fast"], checkpoint="padcompound.ckpt", log="padcompound.tsv",
           what="pad/compound embedding model for lens polishing removal rate; StepLR divides"
                " the learning rate by 10 every epoch",
           complaint="The removal-rate model for our polishing pads and slurries learns for"
                     " the first couple of epochs and then the loss just stops moving, to the"
                     " sixth decimal, for the rest of the 40 epochs. It is still well off: the"
                     " rates it gives for some pad and compound pairs are clearly wrong to"
                     " anyone at the bench, and training longer changes nothing.")


if __name__ == "__main__":
    main()
