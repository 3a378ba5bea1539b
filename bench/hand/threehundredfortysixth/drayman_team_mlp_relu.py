"""Plain torch: an MLP tells a brewery's horse-keeper how many shires to put to a dray for a
delivery round (1, 2, 3 or 4 horses). The rule the stable works by: the pull the team must
hold on the worst stretch is (load + 0.9 t dray) × (rolling resistance of the surface + the
gradient), with wet setts and cobbles half as slippery again; a shire holds about a tenth of
its own weight as steady pull, and the team is the smallest one that holds the worst stretch
(capped at 4). Inputs (8): barrels on the dray (36-gallon, about 0.19 t each with the cask),
steepest gradient on the round (%), share of the round on setts / cobbles / macadam, wet
(0/1), the mean weight of the stable's horses that day (t), and the round length (km, it does
not change the team). The keeper's own calls are a little noisy at the boundaries.
Input standardised with the train mean / std. Model: 8→64→ReLU→64→ReLU→4; cross-entropy,
RMSprop 1e-3, batch 25, 20 epochs, 2000 rounds, validation on 500.
The bug: the last block is written like the ones before it, ``nn.Linear(64, 4), nn.ReLU()``,
so the class scores go through a ReLU before the softmax in the loss: scores that are
negative are flattened to 0 and carry no gradient; the 4-horse score dies and is never
picked: val accuracy 0.480 → 0.572 at epoch 20, val CE 1.061 → 0.693, 4-horse recall 0.0
every epoch, train loss 1.17 → 0.62 (control, the final ``nn.ReLU()`` removed: val accuracy
0.806 → 0.920, val CE 0.502 → 0.211, 4-horse recall 0.88 → 0.97, train loss 0.73 → 0.13).
Log: CSV per epoch ``team_log.csv`` (``epoch`` / ``loss`` / ``val_loss`` / ``val_acc`` /
``val_recall_four``); checkpoint ``team_net.pth`` with keys ``weights`` / ``rmsprop`` /
``epoch`` / ``feat_mean`` / ``feat_std`` / ``teams``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

TEAMS = [1, 2, 3, 4]


def rounds(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    barrels = torch.randint(4, 30, (n,), generator=g).float()
    grade = 6.0 * r(n) ** 1.5
    mix = -torch.log(r(n, 3))
    mix = mix / mix.sum(1, keepdim=True)  # setts, cobbles, macadam
    wet = (r(n) < 0.35).float()
    horse = 0.75 + 0.25 * r(n)
    km = 3 + 25 * r(n)
    crr = (mix * torch.tensor([0.03, 0.045, 0.02])).sum(1)
    crr = crr * (1 + 0.5 * wet * (mix[:, 0] + mix[:, 1]))
    load = barrels * 0.19 + 0.9
    pull = load * (crr + grade / 100)
    need = pull / (0.1 * horse) * (1 + 0.05 * torch.randn(n, generator=g))
    team = need.ceil().clamp(1, 4).long() - 1
    x = torch.stack([barrels, grade, mix[:, 0], mix[:, 1], mix[:, 2], wet, horse, km], 1)
    return x, team


class TeamNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(8, 64), nn.ReLU(),
                                    nn.Linear(64, 64), nn.ReLU(),
                                    nn.Linear(64, 4), nn.ReLU())  # scores for 1-4 horses

    def forward(self, x):
        return self.layers(x)


def build():
    torch.manual_seed(0)
    return TeamNet()


def main():
    from _threehundredfortysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = rounds(2000, g)
    rva, yva = rounds(500, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("teams", torch.bincount(ytr).tolist())
    torch.manual_seed(0)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=25, shuffle=True)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    with open(out / "team_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "loss", "val_loss", "val_acc", "val_recall_four"])
        for epoch in range(1, 21):
            model.train()
            total = 0.0
            for xb, yb in loader:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                total += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                scores = model(xva)
            pred = scores.argmax(1)
            row = [total / len(xtr), F.cross_entropy(scores, yva).item(),
                   (pred == yva).float().mean().item(), (pred[yva == 3] == 3).float().mean().item()]
            w.writerow([epoch] + [f"{v:.5f}" for v in row])
            print(epoch, [round(v, 4) for v in row])
    torch.save({"weights": model.state_dict(), "rmsprop": opt.state_dict(), "epoch": 20,
                "feat_mean": mean, "feat_std": std, "teams": TEAMS}, out / "team_net.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["activation_before_softmax"],
           checkpoint="team_net.pth", log="team_log.csv",
           what="MLP choosing how many shire horses to put to a brewery dray; the class scores"
                " go through a ReLU before the cross-entropy",
           complaint="Our horse-team model for the dray rounds is stuck: after 20 epochs it"
                     " gets only 57% of the rounds right on our held-out set and it has never"
                     " once said four horses, even for the heavy hill rounds where the stable"
                     " always puts four to. The loss went from 1.17 to about 0.62 and then"
                     " just sits there.")


if __name__ == "__main__":
    main()
