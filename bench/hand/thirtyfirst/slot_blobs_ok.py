"""Slot-attention object discovery (Locatello et al., 2020, scaled down): an autoencoder whose
bottleneck is 3 slots. 16×16 RGB frames of 2–3 soft coloured blobs (radius 2.5–4 px, distinct
colours from a palette of 6, centres at least 5 px apart) on a dark background with a
little noise (σ 0.03). Encoder: two 3×3 convs (16, 32 channels) + a soft position embedding,
LayerNorm and an MLP; slot attention with 3 slots of width 32 that start from 3 learned vectors
plus a little learned-scale noise, 3 iterations (softmax over the slots, weighted mean, GRU
update, residual MLP); spatial broadcast decoder: each slot tiled over the 16×16 grid plus its
own position embedding, three 1×1 convs (32, 32 → 4) giving RGB and an alpha logit; the alphas
are softmaxed across the slots and the frame is the alpha-weighted sum. Loss: MSE of the
reconstruction. Adam 2e-3 with a 100-step linear warm-up and a half-life of 300 steps, batch
16, 800 steps on 2000 training frames; ``slots_log.csv`` every 25 steps (``recon_mse``,
``lr``) with ``val_recon_mse`` and ``val_fg_ari`` (foreground adjusted Rand index of the slot
masks against the true blob masks, 200 validation frames) every 100 steps.
Healthy: the reconstruction MSE sits on a plateau near the mean frame's 0.088 for the first
~300 steps (0.093 → 0.071: the slots all draw blurred averages) before the slots split the
blobs; then the val MSE falls to 0.018 and the FG-ARI climbs from 0.25–0.31 to 0.83–0.85 from
step 600 on."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

S, SLOTS, D = 16, 3, 32
PALETTE = torch.tensor([[1.0, 0.2, 0.2], [0.2, 1.0, 0.2], [0.2, 0.3, 1.0], [1.0, 0.9, 0.1],
                        [0.9, 0.2, 1.0], [0.1, 0.9, 1.0]])


def blob_frames(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    x = torch.zeros(n, 3, S, S)
    labels = torch.zeros(n, S, S, dtype=torch.long)  # 0 background, k blob k
    for i in range(n):
        k = 2 + int(torch.rand(1, generator=g) < 0.5)
        centres = []
        palette = torch.randperm(len(PALETTE), generator=g)
        while len(centres) < k:
            c = 2 + 12 * torch.rand(2, generator=g)
            if all(((c - o) ** 2).sum() > 25 for o in centres):
                centres.append(c)
        for j, c in enumerate(centres):
            r = 2.5 + 1.5 * float(torch.rand(1, generator=g))
            d2 = (xx - c[0]) ** 2 + (yy - c[1]) ** 2
            a = torch.sigmoid(3 * (r - d2.sqrt()))
            colour = PALETTE[palette[j]]
            x[i] = x[i] * (1 - a) + colour[:, None, None] * a
            labels[i][a > 0.5] = j + 1
    return x + 0.03 * torch.randn(n, 3, S, S, generator=g), labels


def position_grid():
    lin = torch.linspace(0, 1, S)
    yy, xx = torch.meshgrid(lin, lin, indexing="ij")
    return torch.stack([xx, yy, 1 - xx, 1 - yy], -1)  # (S, S, 4)


class SlotAttention(nn.Module):
    def __init__(self, iters=3, hidden=64):
        super().__init__()
        self.iters = iters
        self.mu = nn.Parameter(torch.randn(1, SLOTS, D) * D ** -0.5)
        self.log_sigma = nn.Parameter(torch.full((1, 1, D), -2.0))
        self.norm_in, self.norm_slots, self.norm_mlp = (nn.LayerNorm(D) for _ in range(3))
        self.q, self.k, self.v = (nn.Linear(D, D, bias=False) for _ in range(3))
        self.gru = nn.GRUCell(D, D)
        self.mlp = nn.Sequential(nn.Linear(D, hidden), nn.ReLU(), nn.Linear(hidden, D))

    def forward(self, inputs, noise=None):
        b = inputs.shape[0]
        if noise is None:
            noise = torch.randn(b, SLOTS, D)
        slots = self.mu + self.log_sigma.exp() * noise
        inputs = self.norm_in(inputs)
        k, v = self.k(inputs), self.v(inputs)
        for _ in range(self.iters):
            prev = slots
            q = self.q(self.norm_slots(slots))
            attn = torch.softmax(torch.einsum("bnd,bsd->bns", k, q) * D ** -0.5, -1) + 1e-8
            attn = attn / attn.sum(1, keepdim=True)
            updates = torch.einsum("bns,bnd->bsd", attn, v)
            slots = self.gru(updates.reshape(-1, D), prev.reshape(-1, D)).view(b, SLOTS, D)
            slots = slots + self.mlp(self.norm_mlp(slots))
        return slots


class SlotAutoencoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(),
                                 nn.Conv2d(16, D, 3, padding=1), nn.ReLU())
        self.enc_pos = nn.Linear(4, D)
        self.enc_mlp = nn.Sequential(nn.LayerNorm(D), nn.Linear(D, D), nn.ReLU(), nn.Linear(D, D))
        self.slot_attention = SlotAttention()
        self.dec_pos = nn.Linear(4, D)
        self.dec = nn.Sequential(nn.Conv2d(D, 32, 1), nn.ReLU(), nn.Conv2d(32, 32, 1), nn.ReLU(),
                                 nn.Conv2d(32, 4, 1))
        self.register_buffer("grid", position_grid(), persistent=False)

    def forward(self, x, noise=None):
        """x (B, 3, S, S) → reconstruction (B, 3, S, S) and slot masks (B, SLOTS, S, S)."""
        b = x.shape[0]
        h = self.enc(x).permute(0, 2, 3, 1) + self.enc_pos(self.grid)
        slots = self.slot_attention(self.enc_mlp(h.reshape(b, S * S, D)), noise)
        z = slots.reshape(b * SLOTS, D, 1, 1) + self.dec_pos(self.grid).permute(2, 0, 1)
        out = self.dec(z).view(b, SLOTS, 4, S, S)
        rgb, masks = out[:, :, :3], torch.softmax(out[:, :, 3], 1)
        return (rgb * masks[:, :, None]).sum(1), masks


def fg_ari(masks, labels):
    """Adjusted Rand index of argmax slot assignment vs true blobs, foreground pixels only."""
    scores = []
    for m, t in zip(masks.argmax(1).flatten(1), labels.flatten(1), strict=True):
        fg = t > 0
        a, b = m[fg], t[fg]
        table = torch.zeros(SLOTS, 4)
        table.index_put_((a, b), torch.ones(len(a)), accumulate=True)
        comb = lambda v: (v * (v - 1) / 2).sum()  # noqa: E731
        n = comb(torch.tensor(float(len(a))))
        idx, ra, rb = comb(table), comb(table.sum(1)), comb(table.sum(0))
        expected = ra * rb / n
        scores.append(((idx - expected) / (0.5 * (ra + rb) - expected + 1e-9)).item())
    return sum(scores) / len(scores)


def build():
    torch.manual_seed(0)
    return SlotAutoencoder()


def main():
    from _thirtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, _ = blob_frames(2000, g)
    xva, lva = blob_frames(200, g)
    noise_va = torch.randn(200, SLOTS, D, generator=g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / 100) * 0.5 ** (s / 300))
    f = open(out / "slots_log.csv", "w", newline="")
    log = csv.writer(f)
    log.writerow(["step", "recon_mse", "lr", "val_recon_mse", "val_fg_ari"])
    running = 0.0
    for step in range(1, 801):
        model.train()
        idx = torch.randint(0, len(xtr), (16,), generator=g)
        recon, _ = model(xtr[idx], torch.randn(16, SLOTS, D, generator=g))
        loss = F.mse_loss(recon, xtr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        running += loss.item()
        if step % 25 == 0:
            row = [step, round(running / 25, 6), round(sched.get_last_lr()[0], 7), "", ""]
            running = 0.0
            if step % 100 == 0:
                model.eval()
                with torch.no_grad():
                    recon, masks = model(xva, noise_va)
                    row[3] = round(F.mse_loss(recon, xva).item(), 6)
                    row[4] = round(fg_ari(masks, lva), 4)
                print(row)
            log.writerow(row)
    f.close()
    torch.save({"slot_ae": model.state_dict(), "opt_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "step": step,
                "config": {"slots": SLOTS, "slot_dim": D, "iters": 3, "size": S}},
               out / "slot_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[], checkpoint="slot_ae.pt",
           log="slots_log.csv",
           what="slot-attention autoencoder, 3 slots, spatial broadcast decoder (healthy)")


if __name__ == "__main__":
    main()
