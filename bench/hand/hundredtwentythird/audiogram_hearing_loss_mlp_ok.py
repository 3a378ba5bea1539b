"""Hearing-loss type from a pure-tone audiogram (an MLP), synthetic clinic data: air-conduction
thresholds at 250, 500, 1k, 2k, 3k, 4k, 6k, 8k Hz and bone conduction at 500 Hz–4 kHz, both
ears (24 values in dB HL, clipped to −10…120 and rounded to 5 dB steps like an audiometer).
Four types: normal (0–20 dB), noise-induced (a 3–6 kHz notch of 25–55 dB with recovery at
8 kHz), presbycusis (a sloping high-frequency loss growing with frequency) and conductive (a
flat 20–45 dB air–bone gap, bone normal), one or both ears; the patient's age shifts every
threshold a little. Inputs scaled by /50; MLP 26→64→64→4 with dropout 0.3; AdamW 2e-3, batch 64,
20 epochs of 2000 audiograms; a JSON-lines log per epoch.
Healthy: val accuracy 0.77 after epoch 1, 0.94 after epoch 2, 0.98 from epoch 4 to the end;
the val loss sits below the train loss for 13 epochs (dropout is on in training only), 0.044
against 0.034 at the end."""
import json

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

FREQS = [250, 500, 1000, 2000, 3000, 4000, 6000, 8000]
BONE = [1, 2, 3, 5]  # indices of 500 Hz, 1 kHz, 2 kHz, 4 kHz
TYPES = ["normal", "noise_induced", "presbycusis", "conductive"]


def audiograms(n, rng):
    y = rng.integers(0, 4, n)
    rows = []
    logf = np.log2(np.array(FREQS) / 250.0)
    for k in y:
        age = rng.uniform(20, 80)
        ears = []
        both = rng.random() < 0.6
        sick = rng.integers(0, 2)
        for ear in range(2):
            air = rng.normal(5, 5, 8) + max(age - 50, 0) * 0.15 * logf
            gap = np.zeros(8)
            if k != 0 and (both or ear == sick):
                if k == 1:
                    depth = rng.uniform(25, 55)
                    centre = rng.uniform(np.log2(12), np.log2(24))
                    air += depth * np.exp(-((logf - centre) / 0.6) ** 2)
                elif k == 2:
                    air += rng.uniform(8, 15) * np.maximum(logf - rng.uniform(1, 2.5), 0) ** 1.4
                else:
                    gap = np.full(8, rng.uniform(20, 45)) + rng.normal(0, 4, 8)
            bone = air[BONE] + rng.normal(0, 3, 4)
            air = air + gap
            ears.append(np.concatenate([air, bone]))
        x = np.concatenate(ears)
        rows.append(np.clip(np.round(x / 5) * 5, -10, 120))
    return np.stack(rows).astype(np.float32), y


class AudiogramMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(24, 64), nn.ReLU(), nn.Dropout(0.3),
                                 nn.Linear(64, 64), nn.ReLU(), nn.Dropout(0.3), nn.Linear(64, 4))

    def forward(self, x):
        return self.net(x / 50.0)


def build():
    torch.manual_seed(0)
    return AudiogramMLP()


def main():
    from _hundredtwentythird import finish, out_dir
    out = out_dir(__file__)
    rng = np.random.default_rng(0)
    x, y = audiograms(2500, rng)
    x, y = torch.from_numpy(x), torch.from_numpy(y).long()
    xtr, ytr, xva, yva = x[:2000], y[:2000], x[2000:], y[2000:]
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3)
    g = torch.Generator().manual_seed(0)
    with open(out / "audiogram_train.jsonl", "w") as f:
        for epoch in range(20):
            model.train()
            perm = torch.randperm(2000, generator=g)
            tot = 0.0
            for i in range(0, 2000, 64):
                idx = perm[i:i + 64]
                loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                lo = model(xva)
            rec = {"ep": epoch + 1, "loss_tr": round(tot / 2000, 4),
                   "loss_va": round(F.cross_entropy(lo, yva).item(), 4),
                   "acc_va": round((lo.argmax(1) == yva).float().mean().item(), 4)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"net": model.state_dict(), "optim": opt.state_dict(), "ep": 20,
                "types": TYPES, "freqs_hz": FREQS}, out / "audiogram_mlp.pt")
    finish(out, __file__, (xva[:128], yva[:128]), causes=[],
           checkpoint="audiogram_mlp.pt", log="audiogram_train.jsonl",
           what="audiogram MLP classifying hearing-loss type, dropout 0.3 (healthy)")


if __name__ == "__main__":
    main()
