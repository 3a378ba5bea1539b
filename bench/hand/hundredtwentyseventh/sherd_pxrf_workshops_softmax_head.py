"""Pottery provenance: which of 6 kiln workshops a sherd came from, from a handheld XRF reading
of 12 elements (K, Ca, Ti, Mn, Fe, Rb, Sr, Y, Zr, Nb, Ba, Pb in ppm). Synthetic: each workshop
has its clay's mean composition in centred-log-ratio space, two workshops share a clay source
and differ only in Ca/Sr (a tempering habit), plus a per-sherd burial contamination (Ca, Mn,
Ba up) and 8 % instrument noise. Features: centred log-ratios, standardised on the training
sherds. An MLP 12 → 64 → 64 → 6 (ReLU, dropout 0.1), SGD 0.01 momentum 0.9, batch 32, 20 epochs
of 900
sherds; a CSV log per epoch (``ep``, ``trn_loss``, ``val_loss``, ``val_acc``).
Bug: the classifier ends in ``nn.Softmax(dim=1)`` (so ``predict_proba`` returns probabilities,
written for the museum's report tool) and is trained with ``nn.CrossEntropyLoss``, which applies
log-softmax again: the loss cannot fall below ln(1 + 5/e) = 1.02 and its gradients shrink as
the probabilities sharpen. Train loss 1.79 → 1.78 → 1.76 → 1.73 for the first epochs, then
slowly to 1.12 (val loss 1.13) after 20 epochs; val accuracy 0.26, 0.50, 0.67 and only 0.92 at
epoch 11, 0.93 at the end. Control (no Softmax): val accuracy 0.92 by epoch 3, train loss 0.12,
val loss 0.20, val accuracy 0.91–0.93 (workshops 4 and 5 share a clay and overlap)."""
import csv

import torch
import torch.nn as nn

ELEMENTS = ["K", "Ca", "Ti", "Mn", "Fe", "Rb", "Sr", "Y", "Zr", "Nb", "Ba", "Pb"]
K = 6


def sherds(n, g):
    base = torch.tensor([9.8, 10.2, 8.4, 6.6, 10.6, 4.6, 5.6, 3.2, 5.4, 2.6, 6.2, 3.0])
    gw = torch.Generator().manual_seed(7)
    clay = base + 0.35 * torch.randn(K, 12, generator=gw)
    clay[5] = clay[4]
    clay[5, 1] += 0.5  # workshop 5: same clay as 4, tempered with crushed shell (Ca, Sr)
    clay[5, 6] += 0.35
    y = torch.randint(0, K, (n,), generator=g)
    logc = clay[y] + 0.22 * torch.randn(n, 12, generator=g)
    burial = torch.rand(n, 1, generator=g) * 0.6
    logc[:, [1, 3, 10]] += burial
    ppm = logc.exp() * (1 + 0.08 * torch.randn(n, 12, generator=g)).clamp(min=0.5)
    clr = ppm.log() - ppm.log().mean(1, keepdim=True)
    return clr, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Dropout(0.1),
                         nn.Linear(64, 64), nn.ReLU(), nn.Dropout(0.1),
                         nn.Linear(64, K), nn.Softmax(dim=1))


def main():
    from _hundredtwentyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = sherds(1200, g)
    mu, sd = x[:900].mean(0), x[:900].std(0)
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[:900], y[:900], x[900:], y[900:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    crit = nn.CrossEntropyLoss()
    f = open(out / "provenance_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["ep", "trn_loss", "val_loss", "val_acc"])
    for ep in range(20):
        model.train()
        perm = torch.randperm(900, generator=g)
        tot = 0.0
        for i in range(0, 900, 32):
            idx = perm[i:i + 32]
            loss = crit(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            out_va = model(xva)
            row = [ep, round(tot / 900, 4), round(crit(out_va, yva).item(), 4),
                   round((out_va.argmax(1) == yva).float().mean().item(), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"net": model.state_dict(), "optim": opt.state_dict(), "epoch": 20,
                "elements": ELEMENTS, "clr_mean": mu, "clr_std": sd}, out / "sherd_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["activation_before_softmax"],
           checkpoint="sherd_mlp.pt", log="provenance_log.csv",
           what="pXRF sherd-provenance MLP ending in nn.Softmax, trained with CrossEntropyLoss",
           complaint="Our sherd provenance classifier trains but the loss will not come down: train "
                     "loss starts at 1.79, barely moves for 4 epochs, and after 20 epochs it is "
                     "still 1.12 (val loss 1.13). Accuracy ends at 0.93, but it took 11 epochs "
                     "to get there and the predicted probabilities all look flat.")


if __name__ == "__main__":
    main()
