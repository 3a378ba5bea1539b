"""Temporal-Fusion-Transformer-lite forecaster on synthetic multivariate series with known
covariates. 8 stores × 260 days of standardised sales: a store level, a weekly cycle, a price
effect (price 1500–2500 in currency units, higher price → fewer sales), a temperature effect
(5–30 °C), a promo flag (+0.8) and AR(1) noise σ 0.25. The future price, temperature, promo
and day of week are known in advance. Windows of 28 past days → 7 future days. Model: one
Linear(1 → 16) embedding per variable, variable selection networks (a GRN over the flattened
embeddings → softmax weights, a GRN per variable) for the past (sales + 4 covariates) and the
future (4 covariates), a static store embedding that initialises the LSTM encoder / decoder
state, a gated skip + LayerNorm, one interpretable attention head over the 35 time steps
(causal), a position-wise GRN and a linear head on the 7 future steps. Every GRN is ELU, GLU
gate, residual and LayerNorm. MSE, Adam 3e-3, batch 64, 6 epochs; log JSON lines ``step`` /
``train_loss`` every 10 steps and ``valid_loss`` / ``valid_mae`` per epoch.
Bug: the covariates go into the model raw (price in the thousands, temperature in tens, day of
week 0–6) — the sales are standardised but the scaler was never fit on the covariate columns."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

S, DAYS, PAST, FUT, D = 8, 260, 28, 7, 16


def stores(g):
    t = torch.arange(DAYS).float()
    dow = (t % 7)[None].expand(S, -1)
    price = 2000 + 400 * torch.sin(2 * math.pi * t / 45 + 6 * torch.rand(S, 1, generator=g)) \
        + 100 * torch.randn(S, DAYS, generator=g)
    temp = 17 + 10 * torch.sin(2 * math.pi * t / 120 + torch.rand(S, 1, generator=g)) \
        + 2 * torch.randn(S, DAYS, generator=g)
    promo = (torch.rand(S, DAYS, generator=g) < 0.15).float()
    level = torch.randn(S, 1, generator=g)
    noise = torch.zeros(S, DAYS)
    eps = 0.25 * torch.randn(S, DAYS, generator=g)
    for i in range(1, DAYS):
        noise[:, i] = 0.5 * noise[:, i - 1] + eps[:, i]
    sales = (level + 0.6 * torch.sin(2 * math.pi * dow / 7) - (price - 2000) / 300
             + 0.04 * (temp - 17) + 0.8 * promo + noise)
    cov = torch.stack([price, temp, promo, dow], -1)  # (S, DAYS, 4)
    return sales, cov


def windows(sales, cov, start, stop):
    past, fut, sid, y = [], [], [], []
    for s in range(S):
        for t in range(start, stop - PAST - FUT + 1):
            past.append(torch.cat([sales[s, t:t + PAST, None], cov[s, t:t + PAST]], -1))
            fut.append(cov[s, t + PAST:t + PAST + FUT])
            sid.append(s)
            y.append(sales[s, t + PAST:t + PAST + FUT])
    return torch.stack(past), torch.stack(fut), torch.tensor(sid), torch.stack(y)


class GRN(nn.Module):
    def __init__(self, din, dout, dctx=0):
        super().__init__()
        self.skip = nn.Linear(din, dout) if din != dout else nn.Identity()
        self.fc1 = nn.Linear(din + dctx, D)
        self.fc2 = nn.Linear(D, 2 * dout)
        self.norm = nn.LayerNorm(dout)

    def forward(self, a, c=None):
        h = F.elu(self.fc1(a if c is None else torch.cat([a, c], -1)))
        return self.norm(self.skip(a) + F.glu(self.fc2(h), -1))


class VSN(nn.Module):
    def __init__(self, nvar):
        super().__init__()
        self.embed = nn.ModuleList(nn.Linear(1, D) for _ in range(nvar))
        self.select = GRN(nvar * D, nvar, D)
        self.per_var = nn.ModuleList(GRN(D, D) for _ in range(nvar))

    def forward(self, x, static):
        e = [emb(x[..., i:i + 1]) for i, emb in enumerate(self.embed)]
        c = static[:, None].expand(-1, x.shape[1], -1)
        w = self.select(torch.cat(e, -1), c).softmax(-1)
        h = torch.stack([grn(v) for grn, v in zip(self.per_var, e, strict=True)], -2)
        return (w[..., None] * h).sum(-2)


class TFTLite(nn.Module):
    def __init__(self):
        super().__init__()
        self.store = nn.Embedding(S, D)
        self.vsn_past, self.vsn_fut = VSN(5), VSN(4)
        self.enc, self.dec = nn.LSTM(D, D, batch_first=True), nn.LSTM(D, D, batch_first=True)
        self.gate = nn.Linear(D, 2 * D)
        self.norm1, self.norm2 = nn.LayerNorm(D), nn.LayerNorm(D)
        self.enrich = GRN(D, D, D)
        self.q, self.k, self.v = nn.Linear(D, D), nn.Linear(D, D), nn.Linear(D, D)
        self.o = nn.Linear(D, D)
        self.ff = GRN(D, D)
        self.head = nn.Linear(D, 1)

    def forward(self, past, future, store):
        """past (B, 28, 5) [sales, price, temp, promo, dow], future (B, 7, 4) → (B, 7)."""
        s = self.store(store)
        xp, xf = self.vsn_past(past, s), self.vsn_fut(future, s)
        state = (s[None].contiguous(), s[None].contiguous())
        hp, state = self.enc(xp, state)
        hf, _ = self.dec(xf, state)
        x = torch.cat([xp, xf], 1)
        h = self.norm1(x + F.glu(self.gate(torch.cat([hp, hf], 1)), -1))
        h = self.enrich(h, s[:, None].expand(-1, h.shape[1], -1))
        n = h.shape[1]
        att = self.q(h) @ self.k(h).transpose(1, 2) / math.sqrt(D)
        att = att.masked_fill(torch.ones(n, n, dtype=torch.bool).triu(1), float("-inf"))
        h = self.norm2(h + self.o(att.softmax(-1) @ self.v(h)))
        return self.head(self.ff(h[:, PAST:])).squeeze(-1)


def build():
    torch.manual_seed(0)
    return TFTLite()


def main():
    from _sixtyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    sales, cov = stores(g)
    sales = (sales - sales[:, :200].mean()) / sales[:, :200].std()
    tp, tf, ts, ty = windows(sales, cov, 0, 200)
    vp, vf, vs, vy = windows(sales, cov, 200 - PAST, DAYS)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    log = open(out / "tft_metrics.jsonl", "w")
    step = 0
    for epoch in range(6):
        model.train()
        for idx in torch.randperm(len(ty), generator=g).split(64):
            loss = F.mse_loss(model(tp[idx], tf[idx], ts[idx]), ty[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 10 == 0:
                log.write(json.dumps({"step": step, "train_loss": round(loss.item(), 5)}) + "\n")
        model.eval()
        with torch.no_grad():
            pred = model(vp, vf, vs)
            vl, mae = F.mse_loss(pred, vy).item(), (pred - vy).abs().mean().item()
        log.write(json.dumps({"step": step, "epoch": epoch, "valid_loss": round(vl, 5),
                              "valid_mae": round(mae, 5)}) + "\n")
        print(epoch, step, round(loss.item(), 4), round(vl, 4), round(mae, 4))
    log.close()
    torch.save({"state_dict_tft": model.state_dict(), "optim": opt.state_dict(), "epoch": 6,
                "covariate_names": ["sales", "price", "temperature", "promo", "day_of_week"]},
               out / "tft_lite.pth")
    finish(out, __file__, {"inputs": tp[:128], "future": tf[:128], "store": ts[:128],
                           "targets": ty[:128]},
           causes=["input_not_normalized"], checkpoint="tft_lite.pth", log="tft_metrics.jsonl",
           what="TFT-lite sales forecaster, known covariates fed raw (price in the thousands)",
           complaint="The TFT forecast flattens out at a validation MSE of about 0.16 on "
                     "standardised sales and misses every price change; the variable "
                     "importances say price hardly matters, which I know is wrong for this "
                     "data.")


if __name__ == "__main__":
    main()
