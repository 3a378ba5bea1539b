"""Plain torch: an MLP flags what a shingler will find when he goes up on a shingled roof, from
the survey sheet filled in from the ground, so the firm can quote before the ladder comes off
the van. Four labels at once (multi-label): moss, curled shingles, split shingles, popped
nails. 9 inputs: roof age (1-30 years), pitch (14-45°), how far it faces north (cos of
azimuth), tree shade (0-1), rainfall (500-1500 mm a year), freeze-thaw days (0-80 a year),
cedar or asphalt, attic ventilation (0-1, the surveyor's score), ring-shank or smooth nails.
Moss grows with shade, a north face, rain and age (cedar more); asphalt curls with age, a
hot south face and a poorly vented attic; cedar splits with age and frost; smooth nails work
out with frost cycles and age, more on a steep roof; each rule with its own scatter.
Input: (9,) standardised with the train mean / std. Model: 9→64→ReLU→64→ReLU→4;
BCE-with-logits per label, Adam 3e-4, batch 128, 3000 roofs, validation on 600, train BCE
and validation BCE / macro F1 logged every 4 steps.
The bug: ``EPOCHS = 2``, so the net stops after 48 steps with its loss still falling
steadily: val BCE 0.698 (step 4) → 0.632 (step 48), macro F1 0.39 at the end (moss 0.78,
curling 0.08, splits 0.38, nail pops 0.31) (control, ``EPOCHS = 40``: the same 0.632 at
step 48 → 0.131 at step 960, macro F1 0.93).
Log: CSV every 4 steps ``survey_fit.csv`` (``step`` / ``epoch`` / ``bce`` / ``val_bce`` /
``val_f1_macro``); checkpoint ``roof_flags.ckpt`` with keys ``mlp`` / ``adam_state`` /
``epoch`` / ``scaler_mean`` / ``scaler_std`` / ``labels``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

LABELS = ["moss", "curling", "splits", "nail_pops"]
EPOCHS = 2  # the survey table is small, a couple of passes over it


def roofs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    age, pitch, north = 1 + 29 * r(n), 14 + 31 * r(n), 2 * r(n) - 1
    shade, rain, frost = r(n), 500 + 1000 * r(n), 80 * r(n)
    cedar, vent, ring = (r(n) < 0.4).float(), r(n), (r(n) < 0.5).float()
    moss = 2.2 * shade + 1.2 * north + (rain - 1000) / 300 + age / 10 + 0.8 * cedar - 3.0
    curl = (1 - cedar) * (age / 6 - 1.5 * north - 2.5 * vent) - 1.0 - 1.2 * cedar
    split = cedar * (age / 5 + frost / 25) - 3.5 - 1.5 * (1 - cedar)
    pops = (1 - ring) * (frost / 20 + age / 10 + (pitch - 30) / 10) - 3.0 - ring
    s = torch.stack([moss, curl, split, pops], 1) + 0.5 * torch.randn(n, 4, generator=g)
    y = (s > 0).float()
    x = torch.stack([age, pitch, north, shade, rain, frost, cedar, vent, ring], 1)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(9, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 4))


def f1_macro(logits, y):
    p = (logits > 0).float()
    tp, fp, fn = (p * y).sum(0), (p * (1 - y)).sum(0), ((1 - p) * y).sum(0)
    f1 = 2 * tp / (2 * tp + fp + fn).clamp(min=1)
    return f1.mean().item(), f1


def main():
    from _threehundredseventysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = roofs(3000, g)
    rva, yva = roofs(600, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("label rates", ytr.mean(0).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-4)
    step = 0
    with open(out / "survey_fit.csv", "w") as log:
        log.write("step,epoch,bce,val_bce,val_f1_macro\n")
        for epoch in range(EPOCHS):
            for xb, yb in dl:
                model.train()
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 4 == 0:
                    model.eval()
                    with torch.no_grad():
                        lv = model(xva)
                    vb = F.binary_cross_entropy_with_logits(lv, yva).item()
                    log.write(f"{step},{epoch},{loss.item():.5f},{vb:.5f},"
                              f"{f1_macro(lv, yva)[0]:.5f}\n")
    model.eval()
    with torch.no_grad():
        lv = model(xva)
    print(step, F.binary_cross_entropy_with_logits(lv, yva).item(), f1_macro(lv, yva))
    torch.save({"mlp": model.state_dict(), "adam_state": opt.state_dict(), "epoch": EPOCHS,
                "scaler_mean": mean, "scaler_std": std, "labels": LABELS},
               out / "roof_flags.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["training_too_short"],
           checkpoint="roof_flags.ckpt", log="survey_fit.csv",
           what="MLP flagging moss / curling / splits / nail pops (multi-label) on a shingled"
                " roof from the ground survey; trained for 2 epochs (48 steps)",
           complaint="My roof survey model trains in a second but is poor: validation"
                     " BCE 0.63, macro F1 0.39, and it almost never flags curled shingles"
                     " (F1 0.08). The loss only went from 0.70 to 0.63. Is an MLP just too"
                     " weak for a table like this, or do I need more survey data?")


if __name__ == "__main__":
    main()
