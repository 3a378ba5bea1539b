"""Plain torch: a 1-D CNN reads the temperature curve of a chocolate tempering run (64 readings
of the bowl probe, one every 15 s: melt at 45-50 °C, cool on the slab, reheat, hold) and does
two jobs: name the temper (4 classes: well tempered, under-cooled — trough too high so no seed
crystals, over-heated — reheat above 32 °C melts the seeds, crowded — trough too low so the
temper is over-seeded and thick) and predict the snap force of the finished bar in
grams-force. The temper class is set by the trough and the reheat peak; the snap force by the
cocoa butter share (read off the curve's cooling rate) and the hold time, with 3 % noise. Curves
carry probe noise and are standardised with one global mean/std. Conv1d(1→24, 5)-BN-ReLU-
Conv1d(24→24, 5)-BN-ReLU-global average pool → shared Linear 24→16-ReLU → a class head (16→4,
cross-entropy) and a force head (16→1, MSE on grams-force), Adam 2e-3, batch 64, 15 epochs of
2000 runs, validation on 500 (val CE, val acc, val force MAE in gf).
The force head's bias starts at 1600 gf (``nn.init.constant_``).
The bug: ``loss = loss_cls + loss_snap  # both heads matter equally``: the snap MSE is in
gf² (~3e4 at the start, ~2e4 late) and the CE is ~1, so the shared layers only ever serve the
force head. Result: val acc 0.50 → 0.34 (best 0.53 at epoch 3, 0.31-0.49 after epoch 5), val
CE 1.23 → 1.35 (2.66 at epoch 5), while snap MAE 155 → 111 gf. Control (``loss = loss_cls +
1e-4 * loss_snap``): val acc 0.77 → 0.998, val CE 1.04 → 0.024, snap MAE 155 → 154 gf (with
the 1e-4 weight the force head barely moves).
Log: TSV per step every 8 steps ``steps.tsv`` (``step`` / ``loss`` / ``ce`` / ``snap_mse``) and a
TSV per epoch ``epochs.tsv`` (``epoch`` / ``val_ce`` / ``val_acc`` / ``val_snap_mae_gf``);
checkpoint ``temper_cnn.ckpt`` with keys ``state`` / ``adam_state`` / ``epoch`` / ``classes`` /
``curve_mean`` / ``curve_std``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

CLASSES = ["well_tempered", "under_cooled", "over_heated", "crowded"]
T = 64


def runs(n, g):
    cls = torch.randint(0, 4, (n,), generator=g)
    trough = 27.5 + 0.4 * torch.randn(n, generator=g)
    trough = torch.where(cls == 1, 29.6 + 0.5 * torch.rand(n, generator=g), trough)
    trough = torch.where(cls == 3, 25.2 + 0.5 * torch.rand(n, generator=g), trough)
    peak = 31.0 + 0.3 * torch.randn(n, generator=g)
    peak = torch.where(cls == 2, 33.0 + 0.8 * torch.rand(n, generator=g), peak)
    butter = 0.30 + 0.12 * torch.rand(n, generator=g)
    hold = 6 + 14 * torch.rand(n, generator=g)
    start = 45 + 5 * torch.rand(n, generator=g)
    t = torch.arange(T).float()[None]
    rate = 0.10 + 0.6 * (butter[:, None] - 0.3)
    cool = trough[:, None] + (start[:, None] - trough[:, None]) * torch.exp(-rate * t)
    reheat = peak[:, None] - (peak[:, None] - trough[:, None]) * torch.exp(-0.35 * (t - 32).clamp(min=0))
    curve = torch.where(t < 32, cool, reheat)
    curve = torch.where(t > 32 + hold[:, None], curve - 0.05 * (t - 32 - hold[:, None]), curve)
    curve = curve + 0.15 * torch.randn(n, T, generator=g)
    snap = 1600 * (1 + 2.2 * (butter - 0.36)) * (1 + 0.02 * (hold - 13)) * (1 + 0.03 * torch.randn(n, generator=g))
    return curve[:, None], cls, snap


class TemperCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv1d(1, 24, 5, padding=2), nn.BatchNorm1d(24), nn.ReLU(),
                                  nn.Conv1d(24, 24, 5, padding=2), nn.BatchNorm1d(24), nn.ReLU(),
                                  nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(24, 16), nn.ReLU())
        self.cls_head = nn.Linear(16, 4)
        self.snap_head = nn.Linear(16, 1)
        nn.init.constant_(self.snap_head.bias, 1600.0)  # start at a typical bar, not at 0 gf

    def forward(self, x):
        h = self.body(x)
        return self.cls_head(h), self.snap_head(h).squeeze(-1)


def build():
    torch.manual_seed(0)
    return TemperCNN()


def main():
    from _twohundredseventieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ctr, str_ = runs(2000, g)
    rva, cva, sva = runs(500, g)
    mean, std = rtr.mean(), rtr.std()
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("snap mean/std", str_.mean().item(), str_.std().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ctr, str_), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    step = 0
    with open(out / "steps.tsv", "w") as fs, open(out / "epochs.tsv", "w") as fe:
        fs.write("step\tloss\tce\tsnap_mse\n")
        fe.write("epoch\tval_ce\tval_acc\tval_snap_mae_gf\n")
        for epoch in range(1, 16):
            model.train()
            for xb, cb, sb in loader:
                logits, snap = model(xb)
                loss_cls = F.cross_entropy(logits, cb)
                loss_snap = F.mse_loss(snap, sb)
                loss = loss_cls + loss_snap  # both heads matter equally
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 8 == 0:
                    fs.write(f"{step}\t{loss.item():.5g}\t{loss_cls.item():.5f}\t{loss_snap.item():.5g}\n")
            model.eval()
            with torch.no_grad():
                logits, snap = model(xva)
            row = [epoch, round(F.cross_entropy(logits, cva).item(), 5),
                   round((logits.argmax(1) == cva).float().mean().item(), 5),
                   round((snap - sva).abs().mean().item(), 3)]
            print(row)
            fe.write("\t".join(map(str, row)) + "\n")
    torch.save({"state": model.state_dict(), "adam_state": opt.state_dict(), "epoch": 15,
                "classes": CLASSES, "curve_mean": mean, "curve_std": std}, out / "temper_cnn.ckpt")
    finish(out, __file__, {"inputs": xva[:64], "targets": cva[:64], "snap_gf": sva[:64]},
           causes=["multitask_loss_imbalance"], checkpoint="temper_cnn.ckpt", log="epochs.tsv",
           what="chocolate tempering two-head CNN whose class CE is summed with a snap-force"
                " MSE in raw grams-force",
           complaint=("Our two-head CNN for chocolate tempering curves predicts the snap force of"
                      " the bar better every epoch (MAE 155 → 111 gf), but the temper class head is"
                      " poor: val accuracy jumps around between 0.3 and 0.5 and its cross-entropy"
                      " is still 1.35 after 15 epochs. An"
                      " over-heated reheat or a trough that is far too low is plain on the curve,"
                      " any chocolatier would call it. Does the class head need its own layers?"))


if __name__ == "__main__":
    main()
