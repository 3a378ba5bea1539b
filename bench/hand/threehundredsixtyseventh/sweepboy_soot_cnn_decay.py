"""Plain torch: a 1-D CNN without batch norm estimates how much soot a master sweep will bring
down from a house flue, from the push-force trace his climbing boy's brush rods log on the way
up (64 readings, one per foot of flue), so the master can price the job and order the sacks.
Soot lies in the flue where the draught slows: above each bend (a soot shelf that makes the
rods push harder over a stretch), in a thick glaze near the top when the household burns wet
coal, and thinly everywhere else; the rod force is the clean-flue friction (brick, pargeting,
flue width) plus the soot resistance plus jolts at the rod joints and reading noise. Target:
the soot in bushels ((bushels - 4) / 2, roughly 1-9 bushels a flue). Input: (2, 64), rod force
in stone-force minus 1 and the height in the flue. Model: Conv1d 2→16 (k7) + ReLU, Conv1d
16→32 (k5) + ReLU, MaxPool2, Conv1d 32→32 (k5) + ReLU, mean pool, Linear 32→32, ReLU,
Linear 32→1; MSE, Adam 2e-3, batch 50, 16 epochs, 2000 flues, validation on 400.
The bug: ``opt = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=0.1)``, the
decay of an AdamW recipe put into Adam, where it is an L2 term in the gradient that outweighs
the data's on a model this size, so the weights are held at zero and the net gives every flue
the mean: train MSE 0.617 → 0.618, val MSE 0.597 every epoch (target variance 0.62), val MAE
1.24 bushels (control, ``weight_decay=1e-5``: val MSE 0.182 → 0.086, MAE 0.69 → 0.48
bushels).
Log: TSV per epoch ``soot_epochs.tsv`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_mae_bushels``); checkpoint ``soot_cnn.ckpt`` with keys ``conv_net`` / ``adam`` /
``epochs`` / ``force_offset`` / ``bushel_center_scale``."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

H = 64


def flues(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    ft = torch.arange(H).float()
    friction = 0.9 + 0.4 * r(n, 1) + 0.003 * ft * r(n, 1)  # stone-force of a clean flue
    soot = 0.02 + 0.03 * r(n, 1) * torch.ones(n, H)  # thin lining, bushels per foot
    nb = (r(n, 1) * 3).floor()  # 0-2 bends
    for k in range(2):
        pos = 10 + 44 * r(n, 1)
        shelf = ((ft > pos - 6 - 6 * r(n, 1)) & (ft <= pos)).float()
        soot = soot + (nb > k).float() * shelf * (0.08 + 0.12 * r(n, 1))
    wet = (r(n, 1) < 0.4).float()
    glaze = wet * (0.05 + 0.1 * r(n, 1)) * torch.sigmoid((ft - 50 + 8 * r(n, 1)) / 2)
    soot = soot + glaze
    force = friction + 6 * soot * (1 + 0.1 * r(n, 1)) + 0.3 * (ft % 3 == 0) * r(n, H)
    force = force + 0.05 * torch.randn(n, H, generator=g)
    bushels = soot.sum(1, keepdim=True) + 0.15 * torch.randn(n, 1, generator=g)
    x = torch.stack([force - 1, ft.expand(n, H) / H], 1)
    return x, (bushels - 4) / 2


class SootCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(2, 16, 7, padding=3), nn.ReLU(),
                                  nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                                  nn.Conv1d(32, 32, 5, padding=2), nn.ReLU())
        self.head = nn.Sequential(nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, x):
        return self.head(self.conv(x).mean(2))


def build():
    torch.manual_seed(0)
    return SootCNN()


def main():
    from _threehundredsixtyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = flues(2000, g)
    xva, yva = flues(400, g)
    print("target mean/var", ytr.mean().item(), ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=50, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=0.1)  # decay 0.1, as in the recipe
    with open(out / "soot_epochs.tsv", "w") as log:
        log.write("epoch\ttrain_mse\tval_mse\tval_mae_bushels\n")
        for epoch in range(16):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = nn.functional.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            vm = nn.functional.mse_loss(p, yva).item()
            mae = 2 * (p - yva).abs().mean().item()
            log.write(f"{epoch}\t{tot / len(xtr):.6f}\t{vm:.6f}\t{mae:.5f}\n")
            print(epoch, round(tot / len(xtr), 5), round(vm, 5), round(mae, 4))
    torch.save({"conv_net": model.state_dict(), "adam": opt.state_dict(), "epochs": 16,
                "force_offset": 1.0, "bushel_center_scale": (4.0, 2.0)}, out / "soot_cnn.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["over_regularization"],
           checkpoint="soot_cnn.ckpt", log="soot_epochs.tsv",
           what="1-D CNN estimating the soot a sweep brings down from a flue's rod-force trace;"
                " Adam with weight_decay=0.1 holds the weights at zero",
           complaint="The soot estimator doesn't learn anything. Train MSE is 0.617 after the"
                     " first epoch and 0.618 after the sixteenth, val MSE 0.597 the whole way,"
                     " which is just the variance of the target: every flue gets about the"
                     " same number of bushels. No NaNs, no errors, the loss just never moves.")


if __name__ == "__main__":
    main()
