"""Gumbel-softmax categorical autoencoder on synthetic 32-bit binary patterns. Each pattern
is built from 4 independent 8-bit fields, each field one of 6 prototype bytes, and 4 % of
the bits are then flipped (sensor noise). Encoder MLP 32-128-(4 x 8 logits); the latent is
4 categorical variables of 8 classes (two spare per field), sampled with
``F.gumbel_softmax`` (soft in training,
``hard=True`` for validation); decoder MLP 32-128-32 bit logits, ``BCEWithLogitsLoss`` plus
0.01 x KL of the code distribution to a uniform prior. Temperature annealed 1.0 -> 0.3
(exponential, per step), Adam 3e-3, batch 64, 2500 steps. The log is JSON lines ("it", "tau",
"bce", "kl", and every 100 steps "val_bce" and "val_bit_err"). Healthy, if odd looking: the
train BCE is noisy, the KL term climbs from 0 to about 7.5 (of log 8 x 4 = 8.3) as the codes
become confident, and the val bit error levels at 0.055 from step 2200, just above the 4 %
flip rate that no decoder can undo (val BCE 0.20 against the noise floor 0.168)."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

BITS, FIELDS, K, CODES = 32, 4, 6, 8


def patterns(n, g, protos):
    codes = torch.randint(0, K, (n, FIELDS), generator=g)
    x = torch.cat([protos[f, codes[:, f]] for f in range(FIELDS)], 1)
    flip = (torch.rand(n, BITS, generator=g) < 0.04).float()
    return (x - flip).abs(), codes


class GumbelAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(BITS, 128), nn.ReLU(), nn.Linear(128, FIELDS * CODES))
        self.dec = nn.Sequential(nn.Linear(FIELDS * CODES, 128), nn.ReLU(), nn.Linear(128, BITS))

    def forward(self, x, tau=0.3, hard=True):
        logits = self.enc(x).view(-1, FIELDS, CODES)
        z = F.gumbel_softmax(logits, tau=tau, hard=hard, dim=-1)
        return self.dec(z.view(-1, FIELDS * CODES)), logits


def build():
    torch.manual_seed(0)
    return GumbelAE()


def main():
    from _fortythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    protos = (torch.rand(FIELDS, K, 8, generator=g) < 0.5).float()
    tx, _ = patterns(6000, g, protos)
    vx, _ = patterns(1000, g, protos)
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    bce = nn.BCEWithLogitsLoss()
    log = open(out / "gumbel_log.jsonl", "w")
    for it in range(1, 2501):
        tau = max(0.3, math.exp(-1.2e-3 * it))
        idx = torch.randint(0, 6000, (64,), generator=g)
        recon, logits = model(tx[idx], tau=tau, hard=False)
        q = logits.softmax(-1)
        kl = (q * (q.clamp_min(1e-8).log() + math.log(CODES))).sum((1, 2)).mean()
        rec = bce(recon, tx[idx])
        loss = rec + 0.01 * kl
        opt.zero_grad()
        loss.backward()
        opt.step()
        row = {"it": it, "tau": round(tau, 4), "bce": round(rec.item(), 4),
               "kl": round(kl.item(), 4)}
        if it % 100 == 0:
            model.eval()
            with torch.no_grad():
                vr, _ = model(vx, tau=tau, hard=True)
                row["val_bce"] = round(bce(vr, vx).item(), 4)
                row["val_bit_err"] = round(((vr > 0).float() != vx).float().mean().item(), 4)
            model.train()
            print(row)
        log.write(json.dumps(row) + "\n")
    log.close()
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(), "it": it,
                "tau": tau, "prototypes": protos}, out / "gumbel_ae.ckpt")
    finish(out, __file__, (vx[:128], vx[:128]), causes=[], checkpoint="gumbel_ae.ckpt",
           log="gumbel_log.jsonl",
           what="Gumbel-softmax categorical AE, tau annealed 1.0 -> 0.3, 4 % bit noise (healthy)")


if __name__ == "__main__":
    main()
