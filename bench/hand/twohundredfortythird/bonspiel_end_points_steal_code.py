"""Plain torch: a curling club predicts, at a bonspiel, how an end will score for the team with
the hammer from the house after the 14th stone (8 features per side: each side's stone count
in the house, the closest stone's distance to the button, the guards, plus the ice speed and
the end number). Classes: 0 blank end, 1 one point, 2 two points, 3 three or more; the points
come from how many hammer stones sit closer than the opponents' best stone, with noise.
MLP 18-64-64-4 (ReLU, no BatchNorm), cross-entropy, Adam 2e-3, batch 32, 8 epochs of 1500
ends, validation on 300 ends after every epoch. Log: JSON lines per epoch ``bonspiel.jsonl``
(``ep`` / ``loss`` / ``acc`` / ``val_loss`` / ``val_acc``); checkpoint every epoch
``bonspiel_ep{N}.pt`` with keys ``state_dict`` / ``optimizer`` / ``ep``.
The bug: this season's validation sheet scores a steal (the team without the hammer scores)
as code 4, which last season's training sheet never had; ``N_CLASSES = 4`` was written from
the training sheet. Epoch 1 trains (loss 1.003, acc 0.572), ``bonspiel_ep1.pt`` is saved, then
validation dies in ``cross_entropy`` with ``IndexError: Target 4 is out of bounds`` (the script
exits non-zero by design). Control (``N_CLASSES = 5``): all 8 epochs, train loss 1.109 → 0.218, train acc
0.545 → 0.927, val acc 0.50, 0.73, 0.74, 0.79, 0.79, 0.83, 0.79, 0.85 (epoch 8; the 23 steals of
the 300 validation ends are never right, so val loss climbs 1.32 → 2.03).."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

N_CLASSES = 4


def ends(n, g, steals):
    """The house after stone 14: per side the count of stones in the house, the closest
    stone's distance to the button (m), the second closest, and guards; ice speed, end no."""
    ham_n = torch.randint(0, 5, (n,), generator=g).float()
    opp_n = torch.randint(0, 5, (n,), generator=g).float()
    ham_d = torch.rand(n, 4, generator=g).sort(1).values * 1.8
    opp_d = torch.rand(n, 4, generator=g).sort(1).values * 1.8
    ham_d = torch.where(torch.arange(4)[None] < ham_n[:, None], ham_d, torch.full_like(ham_d, 2.0))
    opp_d = torch.where(torch.arange(4)[None] < opp_n[:, None], opp_d, torch.full_like(opp_d, 2.0))
    shot = ham_d.min(1).values + 0.05 * torch.randn(n, generator=g)
    closer = (ham_d < opp_d[:, :1]).sum(1)
    pts = closer.clamp(max=3)
    pts = torch.where((ham_n == 0) & (opp_n == 0), torch.zeros_like(pts), pts)
    if steals:
        stole = (opp_d[:, 0] < shot) & (pts == 0) & (torch.rand(n, generator=g) < 0.2)
        pts = torch.where(stole, torch.full_like(pts, 4), pts)
    guards = torch.randint(0, 4, (n, 2), generator=g).float()
    ice = 0.9 + 0.2 * torch.rand(n, 1, generator=g)
    endno = torch.randint(1, 9, (n, 1), generator=g).float()
    x = torch.cat([ham_n[:, None] / 4, opp_n[:, None] / 4, ham_d[:, :3] / 2, opp_d[:, :3] / 2,
                   ham_d[:, 3:] / 2, opp_d[:, 3:] / 2, guards / 3, ice, endno / 8,
                   (ham_d[:, :2] - opp_d[:, :2]) / 2, torch.zeros(n, 2)], 1)
    return x, pts.long()


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(18, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, N_CLASSES))


def main():
    from _twohundredfortythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(3)
    xtr, ytr = ends(1500, g, steals=False)     # last season's sheet
    xva, yva = ends(300, g, steals=True)       # this season's bonspiel sheet
    print("val classes", torch.bincount(yva).tolist())
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    log = open(out / "bonspiel.jsonl", "w")
    last = None
    try:
        for ep in range(1, 9):
            model.train()
            perm = torch.randperm(1500, generator=g)
            tot, hit = 0.0, 0
            for i in range(0, 1500, 32):
                idx = perm[i:i + 32]
                logits = model(xtr[idx])
                loss = F.cross_entropy(logits, ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
                hit += (logits.argmax(1) == ytr[idx]).sum().item()
            torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "ep": ep},
                       out / f"bonspiel_ep{ep}.pt")
            last = f"bonspiel_ep{ep}.pt"
            rec = {"ep": ep, "loss": round(tot / 1500, 4), "acc": round(hit / 1500, 4)}
            print(rec, flush=True)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
                rec["val_loss"] = round(F.cross_entropy(lv, yva).item(), 4)
                rec["val_acc"] = round((lv.argmax(1) == yva).float().mean().item(), 4)
            log.write(json.dumps(rec) + "\n")
            log.flush()
            print(rec)
    finally:
        log.close()
        finish(out, __file__, (xva[:64], yva[:64]), causes=["label_out_of_range"],
               checkpoint=last, log="bonspiel.jsonl",
               what="bonspiel end-points MLP with 4 outputs; the validation sheet scores a steal as"
                    " code 4",
               complaint="My curling end predictor for the bonspiel crashes right after the first "
                         "epoch: IndexError: Target 4 is out of bounds, inside cross_entropy on "
                         "the validation pass. Epoch 1 itself looked fine (train loss 1.003, acc "
                         "0.572) and bonspiel_ep1.pt was written. Nothing in bonspiel.jsonl.")


if __name__ == "__main__":
    main()
