"""DeepAR-style probabilistic forecaster for daily store demand: 30 stores, 180 days each; a
store's demand is its level × a weekly profile (shared shape plus a store-specific part) ×
(1 + lift on promotion days) × a slow store trend × log-normal noise (σ 0.2). An
autoregressive LSTM (2 layers, 40 units, dropout 0.1 between layers and on its output, as
DeepAR's defaults) reads the previous day's demand divided by the window's scale (1 + mean of
the 28-day context), day-of-week sin/cos, the promotion flag and a store embedding, and emits
a Gaussian (mean, softplus scale) for the next day; training minimises the Gaussian NLL over
35-day windows (28 context + 7 horizon) with teacher forcing. Validation forecasts the 7 days
after each of the last 3 weekly origins (the last 21 days are never trained on) by sampling 100
paths, and reports the CRPS of the samples (in units of the window scale) and the
teacher-forced NLL on the horizon. Adam 3e-3, batch 64, 10 epochs; ``forecast_log.jsonl`` holds
the train NLL every 25 steps and one line per epoch (mean train NLL, val NLL, val CRPS).
Bug: the training windows are listed as the export is ordered, store by store and within a
store by date, and the ``DataLoader`` has ``shuffle=False``: each batch holds two months of one
store's consecutive (overlapping) windows, and every epoch ends on the last stores."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

STORES, DAYS, CTX, HOR = 30, 180, 28, 7
EPOCHS = 10


def demand(g):
    level = torch.exp(3 + torch.randn(STORES, 1, generator=g))
    shape = torch.tensor([0.8, 0.85, 0.9, 1.0, 1.2, 1.5, 1.1])
    weekly = shape * torch.exp(0.15 * torch.randn(STORES, 7, generator=g))
    day = torch.arange(DAYS)
    promo = (torch.rand(STORES, DAYS, generator=g) < 0.1).float()
    lift = 0.3 + 0.5 * torch.rand(STORES, 1, generator=g)
    trend = 1 + 0.002 * torch.randn(STORES, 1, generator=g) * day
    noise = torch.exp(0.2 * torch.randn(STORES, DAYS, generator=g))
    z = level * weekly[:, day % 7] * (1 + lift * promo) * trend * noise
    return z, promo


def covariates(promo):
    day = torch.arange(DAYS).float()
    dow = torch.stack([torch.sin(2 * torch.pi * day / 7), torch.cos(2 * torch.pi * day / 7)], 1)
    return torch.cat([dow.expand(STORES, -1, -1), promo[..., None]], 2)  # (STORES, DAYS, 3)


class DeepAR(nn.Module):
    def __init__(self, hidden=40):
        super().__init__()
        self.store = nn.Embedding(STORES, 4)
        self.lstm = nn.LSTM(1 + 3 + 4, hidden, num_layers=2, dropout=0.1, batch_first=True)
        self.drop = nn.Dropout(0.1)
        self.head = nn.Linear(hidden, 2)

    def forward(self, prev, cov, store, state=None):
        """prev (B, L) scaled demand of the day before, cov (B, L, 3), store (B,) → mu, sigma."""
        emb = self.store(store)[:, None].expand(-1, prev.shape[1], -1)
        h, state = self.lstm(torch.cat([prev[..., None], cov, emb], 2), state)
        mu, s = self.head(self.drop(h)).unbind(-1)
        return mu, F.softplus(s) + 1e-3, state


def windows(z, cov, starts):
    """(store, start) pairs → scaled inputs, covariates, store ids, scaled targets, scales."""
    st = torch.tensor([s for s, _ in starts])
    t0 = torch.tensor([t for _, t in starts])
    idx = t0[:, None] + torch.arange(CTX + HOR)
    y = z[st[:, None], idx]
    prev = z[st[:, None], (idx - 1).clamp(min=0)]
    scale = 1 + y[:, :CTX].mean(1, keepdim=True)
    return prev / scale, cov[st[:, None], idx], st, y / scale, scale


class Windows(torch.utils.data.Dataset):
    """Training windows in the order of the export: store by store, each by date."""

    def __init__(self, z, cov, starts):
        self.z, self.cov, self.starts = z, cov, starts

    def __len__(self):
        return len(self.starts)

    def __getitem__(self, k):
        prev, cov, st, y, _ = windows(self.z, self.cov, [self.starts[k]])
        return prev[0], cov[0], st[0], y[0]


def gaussian_nll(mu, sigma, y):
    return (torch.log(sigma) + 0.5 * ((y - mu) / sigma) ** 2).mean() + 0.9189


def crps(samples, y):
    """Sample CRPS: E|X - y| - 0.5 E|X - X'| (samples (S, B, H), y (B, H))."""
    a = (samples - y).abs().mean(0)
    b = (samples[:, None] - samples[None]).abs().mean((0, 1))
    return (a - 0.5 * b).mean()


def evaluate(model, val, g):
    model.eval()
    prev, cov, st, y, _ = val
    with torch.no_grad():
        mu, sigma, _ = model(prev, cov, st)
        nll = gaussian_nll(mu[:, CTX:], sigma[:, CTX:], y[:, CTX:]).item()
        n = 100
        _, _, state = model(prev[:, :CTX].repeat(n, 1), cov[:, :CTX].repeat(n, 1, 1),
                            st.repeat(n))
        last = y[:, CTX - 1].repeat(n)
        paths = []
        for h in range(HOR):
            mu, sigma, state = model(last[:, None], cov[:, CTX + h:CTX + h + 1].repeat(n, 1, 1),
                                     st.repeat(n), state)
            last = mu[:, 0] + sigma[:, 0] * torch.randn(mu.shape[0], generator=g)
            paths.append(last)
        samples = torch.stack(paths, 1).view(n, -1, HOR)
        return nll, crps(samples, y[:, CTX:]).item()


def build():
    torch.manual_seed(0)
    return DeepAR()


def main():
    from _thirtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    z, promo = demand(g)
    cov = covariates(promo)
    last_train = DAYS - 21  # the final 21 days are only forecast, never trained on
    train_starts = [(s, t) for s in range(STORES) for t in range(1, last_train - CTX - HOR + 1)]
    val = windows(z, cov, [(s, DAYS - CTX - HOR - 7 * k) for s in range(STORES)
                           for k in range(3)])
    loader = torch.utils.data.DataLoader(Windows(z, cov, train_starts), batch_size=64,
                                         shuffle=False)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    log = open(out / "forecast_log.jsonl", "w")
    step = 0
    for epoch in range(EPOCHS):
        model.train()
        tot, nb = 0.0, 0
        for prev, c, st, y in loader:
            mu, sigma, _ = model(prev, c, st)
            loss = gaussian_nll(mu, sigma, y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot, nb, step = tot + loss.item(), nb + 1, step + 1
            if step % 25 == 0:
                log.write(json.dumps({"step": step, "train_nll": round(loss.item(), 4)}) + "\n")
        nll, score = evaluate(model, val, g)
        log.write(json.dumps({"step": step, "epoch": epoch, "train_nll_epoch": round(tot / nb, 4),
                              "val_nll": round(nll, 4), "val_crps": round(score, 4)}) + "\n")
        print(epoch, round(tot / nb, 4), round(nll, 4), round(score, 4))
    log.close()
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": epoch},
               out / "deepar_demand.pt")
    prev, c, st, y, _ = val
    finish(out, __file__, {"inputs": prev[:48], "cov": c[:48], "store": st[:48],
                           "targets": y[:48]},
           causes=["data_not_shuffled"], checkpoint="deepar_demand.pt",
           log="forecast_log.jsonl",
           what="DeepAR-style LSTM forecaster, windows in store/date order, shuffle=False",
           complaint="the DeepAR demand forecaster stalls: after 10 epochs the train NLL is "
                     "still around 0 and from epoch 4 on the val CRPS only creeps from 0.148 "
                     "to 0.143; I expected the NLL to go well below zero with this little noise")


if __name__ == "__main__":
    main()
