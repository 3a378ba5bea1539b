"""Plain torch: a residual MLP tells a bone-grubber which of the four trades at the marine-store
will take each bone he picked off the streets and dust-heaps (multi-label): the bone boiler
(fresh, greasy bones, for fat and size), the button turner (thick, dense, uncracked flat
bone), the knife-handle cutter (long, straight, uncracked shank bone, thick walled) and the
bone mill (anything dry, for bone-black and manure; weathered bone it always takes).
Features per bone: length (cm), wall thickness (mm), density (g/cm³), grease (% of weight),
days weathered, cracked (0/1), flatness (0-1), curvature (0-1); standardised with the training
mean / std. The buyers' rules have soft edges (a logistic on each margin), so a fair share of
the labels near a margin go against the hard rule.
Model: Linear 8→64, 3 residual blocks (LayerNorm, Linear 64→64, ReLU, Linear 64→64), LayerNorm,
Linear 64→4 (logits); BCEWithLogitsLoss, AdamW 2e-3 (weight decay 1e-4) with OneCycleLR over
the whole run, batch 128, 25 epochs, 4000 bones, validation on 1000.
Healthy; numbers in the README.
Log: TSV per epoch ``buyers_fit.tsv`` (``epoch`` / ``lr`` / ``bce`` / ``val_bce`` /
``val_exact`` / ``val_f1_button`` / ``val_f1_knife``); checkpoint ``buyers_resmlp.pth`` with
keys ``weights`` / ``adamw`` / ``onecycle`` / ``epochs_done`` / ``feat_mean`` / ``feat_std`` /
``trades``."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

TRADES = ["boiler", "button", "knife_handle", "mill"]


def bones(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    length = 5 + 40 * r(n) ** 1.3
    wall = 2 + 8 * r(n)
    dens = 1.4 + 0.6 * r(n) + 0.02 * wall
    days = 200 * r(n) ** 2
    grease = (18 * r(n) + 2) * torch.exp(-days / 40)
    cracked = (r(n) < 0.1 + days / 400).float()
    flat = r(n)
    curve = r(n) * (1 - flat)
    soft = lambda m: torch.sigmoid(m) > r(n)  # noqa: E731
    boiler = soft(1.2 * (grease - 6))
    button = soft(2.0 * (wall - 5)) & soft(10 * (flat - 0.5)) & soft(15 * (dens - 1.65)) \
        & (cracked == 0)
    knife = soft(0.6 * (length - 20)) & soft(12 * (0.25 - curve)) & soft(2 * (wall - 4)) \
        & (cracked == 0)
    mill = soft(0.15 * (days - 20)) | soft(1.0 * (4 - grease))
    x = torch.stack([length, wall, dens, grease, days, cracked, flat, curve], 1)
    y = torch.stack([boiler, button, knife, mill], 1).float()
    return x, y


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(w), nn.Linear(w, w), nn.ReLU(), nn.Linear(w, w))

    def forward(self, x):
        return x + self.f(x)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 64), *[Block(64) for _ in range(3)], nn.LayerNorm(64),
                         nn.Linear(64, 4))


def f1(pred, y):
    tp = (pred * y).sum().item()
    return 2 * tp / max(pred.sum().item() + y.sum().item(), 1)


def main():
    from _threehundredsixtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = bones(4000, g)
    xva, yva = bones(1000, g)
    print("label rates", ytr.mean(0).tolist())
    mean, std = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mean) / std, (xva - mean) / std
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=25 * len(dl))
    crit = nn.BCEWithLogitsLoss()
    with open(out / "buyers_fit.tsv", "w") as log:
        log.write("epoch\tlr\tbce\tval_bce\tval_exact\tval_f1_button\tval_f1_knife\n")
        for epoch in range(25):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = crit(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logit = model(xva)
            pred = (logit > 0).float()
            row = [tot / len(xtr), crit(logit, yva).item(),
                   (pred == yva).all(1).float().mean().item(),
                   f1(pred[:, 1], yva[:, 1]), f1(pred[:, 2], yva[:, 2])]
            log.write(f"{epoch}\t{opt.param_groups[0]['lr']:.6g}\t"
                      + "\t".join(f"{v:.6f}" for v in row) + "\n")
            print(epoch, [round(v, 4) for v in row])
    torch.save({"weights": model.state_dict(), "adamw": opt.state_dict(),
                "onecycle": sched.state_dict(), "epochs_done": 25, "feat_mean": mean,
                "feat_std": std, "trades": TRADES}, out / "buyers_resmlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="buyers_resmlp.pth",
           log="buyers_fit.tsv",
           what="residual MLP, multi-label: which marine-store trades take a bone-grubber's"
                " bone (healthy)")


if __name__ == "__main__":
    main()
