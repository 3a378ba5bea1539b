"""Plain torch: an MLP with batch norm gives the minutes a gardener needs to clip one topiary
piece back to shape, for a topiary nursery that quotes maintenance contracts by the piece.
Rule of thumb turned into a generator: clipping time grows with the surface to be sheared (a
shape factor × height × width, ball 1.0, cone 0.8, tiered 1.6, spiral 2.1, animal 2.8) and
with the regrowth since the last clip (weeks × the species' growth, box 0.5, yew 0.8, privet
1.6, holly 0.7, cm per week), slower on pieces taller than the gardener can reach from the
ground (a ladder above 180 cm, +35 %), faster with powered shears (-40 %, not on animals);
gardeners vary ±15 % and each job ±10 %.
Inputs (raw, the first BatchNorm does the scaling): height cm, width cm, weeks since last clip,
shape one-hot (5), species one-hot (4), powered-shears flag (13 columns); target minutes / 60.
BatchNorm1d(13) → 13→128 + BN + ReLU + Dropout 0.1 → 128→64 + BN + ReLU → 64→1; MSE, Adam
1e-3 with MultiStepLR (×0.3 at epochs 16 and 23), batch 32, 26 epochs (logged 1-26, row
0 the untrained net), 2400 pieces,
validation on 480.
Bug: ``validate()`` switches the model to ``model.eval()``, and it is first called before
training, for a baseline row of the untrained net; the epoch loop then starts with
``model.requires_grad_(True)  # back to training after the val pass``, which turns gradients
back on but leaves the modules in eval mode. So the net trains in eval mode from the first
step: every BatchNorm keeps its initial running statistics (mean 0, variance 1) and passes the
raw centimetres and weeks through unscaled, and dropout is off.
Measured against the control (``model.train()`` in that line): numbers in the README table.
Log: per-epoch CSV ``cliptime_log.csv`` (``epoch,lr,train_mse,val_mse,val_mae_min``, row 0
the untrained net with an empty ``train_mse``);
checkpoint ``cliptime.pth`` with keys ``model`` / ``optimizer`` / ``lr_sched`` / ``epoch`` /
``shapes`` / ``species``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

SHAPES = {"ball": 1.0, "cone": 0.8, "tiered": 1.6, "spiral": 2.1, "animal": 2.8}
SPECIES = {"box": 0.5, "yew": 0.8, "privet": 1.6, "holly": 0.7}


def pieces(n, g):
    h = 40 + 220 * torch.rand(n, generator=g)
    w = h * (0.4 + 0.6 * torch.rand(n, generator=g))
    weeks = 2 + 18 * torch.rand(n, generator=g)
    shape = torch.randint(0, 5, (n,), generator=g)
    sp = torch.randint(0, 4, (n,), generator=g)
    powered = (torch.rand(n, generator=g) < 0.5).float()
    sf = torch.tensor(list(SHAPES.values()))[shape]
    growth = torch.tensor(list(SPECIES.values()))[sp]
    area = sf * h * w / 1e4  # m²-ish
    minutes = 6 * area * (1 + 0.12 * weeks * growth)
    minutes = minutes * torch.where(h > 180, 1.35, 1.0)
    minutes = minutes * torch.where((powered > 0) & (shape != 4), 0.6, 1.0)
    minutes = minutes * (1 + 0.15 * (2 * torch.rand(n, generator=g) - 1)) \
        * (1 + 0.1 * torch.randn(n, generator=g))
    x = torch.cat([torch.stack([h, w, weeks], 1), F.one_hot(shape, 5).float(),
                   F.one_hot(sp, 4).float(), powered.unsqueeze(1)], 1)
    return x, (minutes / 60).unsqueeze(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.BatchNorm1d(13),
                         nn.Linear(13, 128), nn.BatchNorm1d(128), nn.ReLU(), nn.Dropout(0.1),
                         nn.Linear(128, 64), nn.BatchNorm1d(64), nn.ReLU(),
                         nn.Linear(64, 1))


def main():
    from _twohundredninetyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = pieces(2400, g)
    xva, yva = pieces(480, g)
    print("hours", ytr.min().item(), ytr.mean().item(), ytr.max().item(), ytr.var().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[16, 23], gamma=0.3)
    f = open(out / "cliptime_log.csv", "w")
    f.write("epoch,lr,train_mse,val_mse,val_mae_min\n")

    def validate():
        model.eval()
        with torch.no_grad():
            p = model(xva)
            return F.mse_loss(p, yva).item(), ((p - yva).abs() * 60).mean().item()

    vm, mae = validate()  # the untrained net, as the baseline row
    f.write(f"0,{sched.get_last_lr()[0]:.6f},,{vm:.6f},{mae:.3f}\n")
    for epoch in range(1, 27):
        model.requires_grad_(True)  # back to training after the val pass
        tot = 0.0
        for xb, yb in loader:
            loss = F.mse_loss(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(xb)
        lr = sched.get_last_lr()[0]
        sched.step()
        vm, mae = validate()
        f.write(f"{epoch},{lr:.6f},{tot / len(xtr):.6f},{vm:.6f},{mae:.3f}\n")
        print(epoch, round(tot / len(xtr), 5), round(vm, 5), round(mae, 2))
    f.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(),
                "lr_sched": sched.state_dict(), "epoch": 26, "shapes": list(SHAPES),
                "species": list(SPECIES)}, out / "cliptime.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["train_in_eval_mode"],
           checkpoint="cliptime.pth", log="cliptime_log.csv",
           what="batch-norm MLP giving minutes to clip a topiary piece; a validation pass before"
                " training leaves it in eval mode, and the loop never calls model.train()",
           complaint="We quote topiary maintenance by the piece and trained a small net on our"
                     " job sheets to estimate clipping minutes. The first epoch's training loss is"
                     " huge, then it creeps down for the rest of the run, and the estimates are"
                     " still off by a quarter of an hour a piece on average, which is no use for"
                     " quoting. Is the data too noisy for a net, or does it need many more"
                     " epochs?")


if __name__ == "__main__":
    main()
