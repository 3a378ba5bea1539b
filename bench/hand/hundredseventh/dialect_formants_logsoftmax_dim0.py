"""Dialect identification from vowel formants (sociophonetics): each speaker reads a word list
with 3 repetitions of 8 monophthongs (24 vowel tokens, F1/F2/F3 in Hz), and the task is one of
6 dialect regions. Regions differ the way English dialects do — a fronted GOOSE vowel, a raised
TRAP, a lowered DRESS, a merged LOT/THOUGHT, … — by 80–450 Hz on a few formants, on top of a
speaker's vocal-tract length (all formants × 0.85–1.2) and token noise (35/90/120 Hz). Formants
are Lobanov-normalised per speaker (z-scores over that speaker's tokens, as sociophoneticians
do); a token is its vowel one-hot + 3 z-scores. A token MLP 11 → 64 → 64 → 6 (ReLU) scores
every token; a speaker's log-likelihood of a region is the sum over the tokens (naive-Bayes
pooling). Adam 1e-3, one speaker (24 tokens) per step, 8 epochs of 1200 speakers; a CSV log
per epoch ``ep,nll,val_nll,val_acc`` (nll per token; speaker-level val accuracy).
Bug: the token log-probabilities are ``log_softmax(logits, dim=0)`` — over the 24 tokens of the
step (the batch axis) instead of over the 6 regions. The loss then only asks that the true
region's column be equal over the speaker's tokens, never that it beat the other regions: nll
is exactly ln 24 = 3.1781 (train and val) from epoch 1 on, and speaker accuracy falls from 0.56
to 0.13 (chance 0.17). The control (``dim=1``) reaches val accuracy 0.997, val nll 1.31 per
token (single tokens are ambiguous; speakers are not)."""
import csv

import torch
import torch.nn as nn

VOWELS = ["FLEECE", "KIT", "DRESS", "TRAP", "LOT", "THOUGHT", "STRUT", "GOOSE"]
BASE = torch.tensor([[280, 2250, 2900], [400, 1900, 2600], [550, 1770, 2550],
                     [690, 1660, 2450], [710, 1100, 2500], [590, 880, 2500],
                     [640, 1200, 2400], [310, 1300, 2300]], dtype=torch.float)
# region shifts (vowel, formant, Hz)
SHIFTS = [[(7, 1, 450), (3, 0, -90)],                 # fronted GOOSE, raised TRAP
          [(2, 0, 120), (3, 1, 150), (4, 1, -150)],   # lowered DRESS, fronted TRAP
          [(5, 0, 120), (5, 1, 220)],                 # LOT/THOUGHT merged
          [(1, 0, -80), (6, 1, -200), (7, 1, 250)],   # raised KIT, backed STRUT
          [(0, 1, -180), (2, 1, 160), (6, 0, -110)],  # lax FLEECE, raised STRUT
          [(4, 0, -100), (3, 0, 100), (7, 1, -100)]]  # raised LOT, lowered TRAP


def speakers(n, g):
    """n speakers × 24 tokens (3 repetitions of 8 vowels): per token the vowel one-hot and the
    speaker's Lobanov z-scores of F1, F2, F3 → (n, 24, 11), and the region of each speaker."""
    y = torch.randint(0, 6, (n,), generator=g)
    f = BASE.repeat(n, 1, 1)
    for r, shifts in enumerate(SHIFTS):
        for v, k, hz in shifts:
            f[y == r, v, k] += hz
    f = f * (0.85 + 0.35 * torch.rand(n, 1, 1, generator=g))
    f = f.repeat_interleave(3, 1)  # 3 repetitions per vowel
    f = f + torch.randn(f.shape, generator=g) * torch.tensor([35., 90., 120.])
    z = (f - f.mean(1, keepdim=True)) / f.std(1, keepdim=True)  # Lobanov, per speaker
    vowel = torch.eye(8).repeat_interleave(3, 0).expand(n, 24, 8)
    return torch.cat([vowel, z], 2), y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(11, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 6))


def token_logp(logits):
    return torch.log_softmax(logits, dim=0)


def main():
    from _hundredseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = speakers(1200, g)
    xva, yva = speakers(300, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "dialect_train.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["ep", "nll", "val_nll", "val_acc"])
        for ep in range(1, 9):
            model.train()
            tot = 0.0
            for i in torch.randperm(len(xtr), generator=g).tolist():  # one speaker per step
                logp = token_logp(model(xtr[i]))  # (24 tokens, 6 regions)
                loss = -logp[:, ytr[i]].mean()
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item()
            model.eval()
            with torch.no_grad():
                vl, hits = 0.0, 0
                for i in range(len(xva)):
                    logp = token_logp(model(xva[i]))
                    vl += -logp[:, yva[i]].mean().item()
                    hits += int(logp.sum(0).argmax() == yva[i])
            row = [ep, round(tot / len(xtr), 4), round(vl / len(xva), 4), round(hits / len(xva), 4)]
            w.writerow(row)
            print(row)
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 8, "vowels": VOWELS, "n_regions": 6}, out / "dialect_mlp.pt")
    tokens = xva[:8].reshape(-1, 11)  # 8 validation speakers' tokens, region per token
    finish(out, __file__, (tokens, yva[:8].repeat_interleave(24)), causes=["softmax_wrong_dim"],
           checkpoint="dialect_mlp.pt", log="dialect_train.csv",
           what="dialect-from-formants token MLP, hand-written speaker log-likelihood with "
                "log_softmax over the tokens (dim=0) instead of the regions",
           complaint="My dialect classifier doesn't learn at all. The loss is 3.1781 in every epoch, "
                     "train and validation, identical to 4 decimals from the first epoch, and "
                     "validation accuracy gets worse each epoch: 0.56, 0.46, 0.40 ... 0.13 after "
                     "8 epochs, below chance for 6 regions.")


if __name__ == "__main__":
    main()
