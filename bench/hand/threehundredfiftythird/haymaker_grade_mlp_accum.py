"""Plain torch: an MLP grades a lot of small square bales of grass hay (premium / good / fair /
poor) from what the haymaker wrote down at cutting and baling, so the lot can be priced
before the lab's forage test comes back. 8 inputs: days from heading to cutting (-10 to 30),
grass share of the sward (0.4-1, the rest clover), rain on the swath (mm, mostly 0, up to
40), days in the swath (1-6), tedding passes (0-3), moisture at baling (%, 12-26), raking
moisture (%, 20-60: raked too dry the clover leaves shatter) and stored in a barn (0/1).
The grade follows a relative-feed-value-like score: it falls with maturity at cutting,
with rain (leaching, more the longer the crop lay), with leaf shatter (raking below 35 %,
worse with more clover and more tedding) and with outside storage; hay baled wetter than
about 19 % heats and moulds and is poor whatever else. Cut-offs 150 / 125 / 100.
Input: (8,) standardised with the train mean / std. Model: 8→64→ReLU→64→ReLU→4; cross-entropy,
SGD 0.02 (momentum 0.9), batch 32, 12 epochs, 2000 lots, validation on 500.
The bug: the loop never clears the gradients; ``loss.backward()  # gradients for this
batch`` is followed by ``opt.step()`` with no ``opt.zero_grad()`` anywhere, so every
step uses the sum of all the gradients since the start (kept by momentum on top) and the
steps grow with each batch: val acc 0.686 after epoch 0, then train CE 102 → 1156 → 37 →
424 and val CE 3.6 → 524, val acc jumping between 0.184, 0.244 and 0.506 (one grade for
every lot; poor recall 0 or 1) (control, ``opt.zero_grad(); loss.backward()``: val CE
0.597 → 0.223, val acc 0.760 → 0.914, poor recall 0.98-0.99).
Log: CSV per epoch ``grade_log.csv`` (``epoch`` / ``train_ce`` / ``val_ce`` / ``val_acc`` /
``val_recall_poor``); checkpoint ``haygrade.ckpt`` with keys ``model_state`` /
``optim_state`` / ``epoch`` / ``feat_mean`` / ``feat_std`` / ``grades``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

GRADES = ["premium", "good", "fair", "poor"]


def lots(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    mat = -10 + 40 * r(n)
    grass = 0.4 + 0.6 * r(n)
    rain = torch.where(r(n) < 0.6, torch.zeros(n), 40 * r(n) ** 2)
    days = 1 + 5 * r(n)
    ted = torch.randint(0, 4, (n,), generator=g).float()
    bale_m = 12 + 14 * r(n)
    rake_m = 20 + 40 * r(n)
    barn = (r(n) < 0.7).float()
    score = 175 - 1.6 * mat.clamp(min=0) - 0.4 * mat.clamp(max=0).abs() + 12 * (1 - grass)
    score = score - rain * (0.5 + 0.15 * days)
    shatter = (35 - rake_m).clamp(min=0) * (0.6 + 1.4 * (1 - grass)) * (1 + 0.25 * ted)
    score = score - shatter - 12 * (1 - barn) + 4 * torch.randn(n, generator=g)
    grade = torch.bucketize(-score, torch.tensor([-150.0, -125.0, -100.0]))
    grade = torch.where(bale_m > 19, torch.full_like(grade, 3), grade)
    x = torch.stack([mat, grass, rain, days, ted, bale_m, rake_m, barn], 1)
    return x, grade


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 4))


def main():
    from _threehundredfiftythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = lots(2000, g)
    rva, yva = lots(500, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("grades", torch.bincount(ytr).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    with open(out / "grade_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_ce", "val_ce", "val_acc", "val_recall_poor"])
        for epoch in range(12):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.cross_entropy(model(xb), yb)
                loss.backward()  # gradients for this batch
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = logits.argmax(1)
            row = [tot / len(xtr), F.cross_entropy(logits, yva).item(),
                   (pred == yva).float().mean().item(), (pred[yva == 3] == 3).float().mean().item()]
            w.writerow([epoch] + [f"{v:.6f}" for v in row])
            print(epoch, row)
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(),
                "epoch": 12, "feat_mean": mean, "feat_std": std, "grades": GRADES},
               out / "haygrade.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["missing_zero_grad"],
           checkpoint="haygrade.ckpt", log="grade_log.csv",
           what="MLP grading bales of grass hay from cutting and baling notes, 4 classes;"
                " the loop never calls zero_grad so the gradients pile up",
           complaint="My hay grading net looks fine after the first epoch (0.69 validation"
                     " accuracy) and then goes to pieces: the training loss jumps to 102, then"
                     " 1156, and stays in the hundreds, the validation loss climbs to 524, and the"
                     " validation accuracy hops between 0.18, 0.24 and 0.51 from epoch to epoch,"
                     " as if it calls every lot the same grade. The features are standardised and"
                     " the grades are from our own price sheet.")


if __name__ == "__main__":
    main()
