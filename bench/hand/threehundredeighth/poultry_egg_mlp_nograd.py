"""Plain torch: an MLP predicts whether a table egg from a layer flock will come out of the
grading and packing line cracked, from what the farm records per egg at collection: egg
weight (g), shell thickness (mm, ultrasound), shape index (width / length), the shell's
acoustic resonance frequency (Hz, from the tap test), specific gravity, hen age (weeks),
the calcium in the layer feed that week (%), and the house temperature that day (°C).
Shells thin as hens age and on hot days (hens pant, less calcium carbonate), heavier eggs
and long thin eggs break more, resonance tracks shell stiffness. Crack probability is a
logistic function of the shell's strength against the egg's weight; about 12 % crack
(10.7 % of the validation eggs).
Input: (8,) standardised with the train mean / std. Model: 8→64→ReLU→64→ReLU→1 (logit);
BCEWithLogitsLoss, SGD 0.01 momentum 0.9, batch 50, 12 epochs, 2400 eggs, validation on
600.
The bug: the loop calls ``loss.backward()`` and ``opt.step()`` for every batch and never
clears the gradients (no ``opt.zero_grad()``), so every step adds all past gradients: the
loss swings and blows up. Bug: step BCE 0.48 at step 10, up to 3.1e22
later; val BCE 0.64 (epoch 0) → 1.8e22 (epoch 4) → 18.0 (epoch 11), val acc 0.893 (the
intact share: no egg called cracked) every epoch but epoch 4 (0.443: every cracked
egg and about half the intact ones called cracked; recall 1.0), crack recall 0 at the
other epochs. Control (``opt.zero_grad()`` put before ``loss.backward()``, a one-line
sed): step BCE 0.66 → 0.11-0.17, val BCE 0.288 → 0.139, val acc 0.893 → 0.943, crack
recall 0 → 0.77.
Log: TSV every 10 optimizer steps ``crack_steps.tsv`` (``step`` / ``epoch`` / ``bce``) and
a CSV per epoch ``crack_val.csv`` (``epoch`` / ``val_bce`` / ``val_acc`` /
``val_crack_recall``, named as the log in the truth); checkpoint ``crackcheck.pth`` with
keys ``net_weights`` / ``sgd_state`` / ``epochs_done`` / ``scaler_mean`` / ``scaler_std``
/ ``columns``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

COLUMNS = ["egg_g", "shell_mm", "shape_idx", "resonance_hz", "spec_grav", "hen_age_wk",
           "feed_ca_pct", "house_c"]


def eggs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    z = lambda *s: torch.randn(*s, generator=g)  # noqa: E731
    age = 20 + 60 * r(n)
    house = 18 + 14 * r(n)
    ca = 3.4 + 0.9 * r(n)
    weight = 52 + 0.22 * (age - 20) + 4 * z(n)
    shell = (0.40 - 0.0012 * (age - 20) - 0.004 * (house - 24).clamp(min=0)
             + 0.025 * (ca - 3.8) + 0.018 * z(n))
    shape = 0.76 + 0.025 * z(n)
    reson = 4200 + 9000 * (shell - 0.33) - 12 * (weight - 60) + 80 * z(n)
    sg = 1.060 + 0.12 * (shell - 0.33) + 0.002 * z(n)
    strength = 40 * (shell - 0.33) - 0.07 * (weight - 60) + 6 * (shape - 0.76)
    p = torch.sigmoid(-2.2 - 3.0 * strength)
    y = (r(n) < p).float()[:, None]
    x = torch.stack([weight, shell, shape, reson, sg, age, ca, house], 1)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 1))


def main():
    from _threehundredeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = eggs(2400, g)
    xva, yva = eggs(600, g)
    print("crack share", ytr.mean().item(), yva.mean().item())
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=50, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    step = 0
    with open(out / "crack_steps.tsv", "w") as slog, open(out / "crack_val.csv", "w") as vlog:
        slog.write("step\tepoch\tbce\n")
        vlog.write("epoch,val_bce,val_acc,val_crack_recall\n")
        for ep in range(12):
            model.train()
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                loss.backward()
                opt.step()  # one update per batch of 50 eggs
                step += 1
                if step % 10 == 0:
                    slog.write(f"{step}\t{ep}\t{loss.item():.6g}\n")
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            pred = (lv > 0).float()
            row = [ep, F.binary_cross_entropy_with_logits(lv, yva).item(),
                   (pred == yva).float().mean().item(),
                   (pred * yva).sum().item() / yva.sum().item()]
            vlog.write(",".join(f"{v:.6g}" for v in row) + "\n")
            print(row)
    torch.save({"net_weights": model.state_dict(), "sgd_state": opt.state_dict(),
                "epochs_done": 12, "scaler_mean": mu, "scaler_std": sd, "columns": COLUMNS},
               out / "crackcheck.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["missing_zero_grad"],
           checkpoint="crackcheck.pth", log="crack_val.csv",
           what="MLP predicting cracked table eggs from shell and flock records; gradients"
                " are never cleared between batches",
           complaint="Our egg crack predictor never flags a single cracked egg: validation"
                     " accuracy sits at 89%, which is just the share of intact eggs. The"
                     " training loss jumps all over the place, at one point to 1e22, and"
                     " lowering the learning rate from 0.05 to 0.01 didn't fix it. Is the"
                     " crack data too noisy to learn from?")


if __name__ == "__main__":
    main()
