"""Concrete slump from the mix design: an MLP (7 → 64 → 64 → 1, ReLU) regresses the slump-cone
reading (cm) of synthetic site batches from cement, fly ash, slag, water, superplasticiser,
coarse and fine aggregate (kg/m³, standardised with training statistics); the slump rises with
the water/binder ratio and the superplasticiser dose, falls with the coarse share, plus a
reading noise of 1.5 cm. The target is standardised too (mean/std of the training slump).
SGD momentum 0.9, lr 0.06 — the value the author found for micro-batches of 16 — with 8
micro-batches accumulated per step (effective batch 128) after moving to a smaller laptop,
12 epochs of 2048 batches; a JSON-lines log per optimiser step (``step``, ``mse``) and per epoch
(``epoch``, ``train_mse``, ``val_mse``, ``val_mae_cm``).
Bug: the accumulation is written the common way, ``loss.backward()`` on every micro-batch and
``opt.step()`` every 8th, without dividing the loss by 8, so each step applies 8 × the mean
gradient at an lr tuned for one micro-batch: the step losses jump between 0.25 and 20 in the
first epoch (train MSE 4.8), val MSE bounces 1.56, 0.57, 2.59, 1.18, then the ReLUs die and the
net predicts the mean slump from epoch 5 on: val MSE 0.995 (= the target variance), MAE 5.6 cm
at epoch 12. The control (``(loss / ACCUM).backward()``) reaches val MSE 0.051, MAE 1.21 cm."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

ACCUM = 8
COLS = ["cement", "fly_ash", "slag", "water", "superplasticizer", "coarse_agg", "fine_agg"]


def mixes(n, g):
    r = lambda lo, hi: lo + (hi - lo) * torch.rand(n, generator=g)  # noqa: E731
    cement, ash, slag = r(200, 450), r(0, 150), r(0, 150)
    water, sp = r(140, 230), r(0, 12)
    coarse, fine = r(800, 1150), r(600, 900)
    wb = water / (cement + ash + slag)
    slump = (40 * (wb - 0.3) + 1.6 * sp - 0.02 * (coarse - 950) + 0.01 * (fine - 750)
             + 0.02 * ash + 4 + 1.5 * torch.randn(n, generator=g)).clamp(0, 28)
    return torch.stack([cement, ash, slag, water, sp, coarse, fine], 1), slump


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(7, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 1))


def main():
    from _hundredtwentyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = mixes(2560, g)
    xtr, ytr, xva, yva = x[:2048], y[:2048], x[2048:], y[2048:]
    mu, sd = xtr.mean(0), xtr.std(0)
    ym, ys = ytr.mean(), ytr.std()
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    ttr, tva = (ytr - ym) / ys, (yva - ym) / ys
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.06, momentum=0.9)
    log = open(out / "slump_train.jsonl", "w")
    step = 0
    for epoch in range(1, 13):
        model.train()
        perm = torch.randperm(2048)
        tot = 0.0
        opt.zero_grad()
        for i, j in enumerate(range(0, 2048, 16)):
            idx = perm[j:j + 16]
            loss = F.mse_loss(model(xtr[idx]).squeeze(1), ttr[idx])
            loss.backward()
            tot += loss.item()
            if (i + 1) % ACCUM == 0:
                opt.step()
                opt.zero_grad()
                step += 1
                log.write(json.dumps({"step": step, "mse": loss.item()}) + "\n")
        model.eval()
        with torch.no_grad():
            p = model(xva).squeeze(1)
            rec = {"epoch": epoch, "train_mse": tot / 128, "val_mse": F.mse_loss(p, tva).item(),
                   "val_mae_cm": (p * ys + ym - yva).abs().mean().item()}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"net": model.state_dict(), "sgd": opt.state_dict(), "epoch": 12,
                "accum_steps": ACCUM, "feature_mean": mu, "feature_std": sd, "columns": COLS},
               out / "slump_mlp.pt")
    finish(out, __file__, (xva[:64], tva[:64]), causes=["grad_accum_unscaled"],
           checkpoint="slump_mlp.pt", log="slump_train.jsonl",
           what="slump MLP, gradient accumulation over 8 micro-batches, loss not divided by 8",
           complaint="My slump model trained fine on the old machine, but since I switched to "
                     "accumulating 8 micro-batches of 16 the loss jumps around (step losses up to "
                     "20 in the first epoch) and after epoch 5 it is stuck: val MSE 0.995, every "
                     "mix gets the same slump, mean error 5.6 cm.")


if __name__ == "__main__":
    main()
