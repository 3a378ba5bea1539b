"""Importance-weighted autoencoder (IWAE, k = 5 samples) on synthetic binary 8×8 patterns: each
pattern is 1–3 horizontal or vertical bars plus a 2×2 square at a random place, with 3 % of the
pixels flipped. Encoder 64 → 128 → 2 × 8 (mean, log-variance), decoder 8 → 128 → 64 Bernoulli
logits, tanh hidden units; the loss is the negative IWAE bound
−log mean_k p(x, z_k) / q(z_k | x), averaged over the batch. Adam 1e-3, batch 100, 12 epochs of
3000 patterns; the log is JSON lines (the bound every 10 steps, the held-out bound and a
single-sample ELBO per epoch). Healthy: the held-out bound (k = 50) falls from 38.8 and levels
near 32.1 nats (the pixel flips alone cost ~ 64 · H(0.03) ≈ 8.6 nats that no model removes),
the single-sample ELBO stays ~ 0.7 nats above the IWAE bound as it should."""
import json
import math

import torch
import torch.nn as nn

PIX, LATENT, K = 64, 8, 5


def patterns(n, g):
    img = torch.zeros(n, 8, 8)
    for i in range(n):
        for _ in range(int(torch.randint(1, 4, (1,), generator=g))):
            r = int(torch.randint(0, 8, (1,), generator=g))
            if torch.rand(1, generator=g) < 0.5:
                img[i, r, :] = 1
            else:
                img[i, :, r] = 1
        a, b = torch.randint(0, 7, (2,), generator=g).tolist()
        img[i, a:a + 2, b:b + 2] = 1
    flip = torch.rand(n, 8, 8, generator=g) < 0.03
    return torch.where(flip, 1 - img, img).view(n, PIX)


class IWAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(PIX, 128), nn.Tanh(), nn.Linear(128, 2 * LATENT))
        self.dec = nn.Sequential(nn.Linear(LATENT, 128), nn.Tanh(), nn.Linear(128, PIX))

    def forward(self, x):
        mu, _ = self.enc(x).chunk(2, 1)
        return self.dec(mu)

    def bound(self, x, k=K):
        mu, logvar = self.enc(x).chunk(2, 1)
        std = (0.5 * logvar).exp()
        z = mu + std * torch.randn(k, *mu.shape)
        logits = self.dec(z)
        log_px = -nn.functional.binary_cross_entropy_with_logits(
            logits, x.expand(k, -1, -1), reduction="none").sum(-1)
        log_pz = (-0.5 * z ** 2 - 0.5 * math.log(2 * math.pi)).sum(-1)
        log_qz = (-0.5 * ((z - mu) / std) ** 2 - std.log() - 0.5 * math.log(2 * math.pi)).sum(-1)
        log_w = log_px + log_pz - log_qz
        return -(torch.logsumexp(log_w, 0) - math.log(k)).mean()


def build():
    torch.manual_seed(0)
    return IWAE()


def main():
    from _fiftythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x = patterns(3600, g)
    tx, vx = x[:3000], x[3000:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    step = 0
    with open(out / "iwae_log.jsonl", "w") as log:
        for epoch in range(12):
            model.train()
            for idx in torch.randperm(3000, generator=g).split(100):
                loss = model.bound(tx[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 10 == 0:
                    log.write(json.dumps({"it": step, "neg_iwae_bound": round(loss.item(), 3)})
                              + "\n")
            model.eval()
            with torch.no_grad():
                vb = model.bound(vx, k=50).item()
                ve = model.bound(vx, k=1).item()
            log.write(json.dumps({"it": step, "ep": epoch, "heldout_neg_iwae50": round(vb, 3),
                                  "heldout_neg_elbo": round(ve, 3)}) + "\n")
            print(epoch, round(loss.item(), 3), round(vb, 3), round(ve, 3))
    torch.save({"net": model.state_dict(), "optim": opt.state_dict(), "iteration": step},
               out / "iwae_k5.pt")
    finish(out, __file__, (vx[:100], vx[:100]), causes=[],
           checkpoint="iwae_k5.pt", log="iwae_log.jsonl",
           what="IWAE k=5 on binary bar patterns with 3 % pixel flips, Adam 1e-3 (healthy)")


if __name__ == "__main__":
    main()
