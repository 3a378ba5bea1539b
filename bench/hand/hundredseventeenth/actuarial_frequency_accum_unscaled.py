"""Insurance pricing: a motor third-party-liability claim-frequency model (the actuarial
Poisson GLM, with a small neural net in place of the linear predictor) on a synthetic
portfolio of 24000 policy-years: driver age, vehicle age, vehicle power, bonus-malus level,
log population density, fuel type, 12 rating regions (embedding 3) and the exposure in years
(0.1–1); claims ~ Poisson(exposure · λ(x)), λ ≈ 0.07 on average. Net 3 + 6 → 32 → 32 → 1 gives
log λ, and ``forward(region, x, exposure)`` adds the log-exposure offset to return log μ; loss =
Poisson NLL (``F.poisson_nll_loss(log_mu, claims, log_input=True)``). SGD momentum 0.9, lr 1.0 — the lr tuned on full
batches of 512 policies; the machine that runs it can only hold micro-batches of 64, so the
author accumulates gradients over 8 micro-batches per optimizer step. 6 epochs (282 optimizer
steps); JSON lines every 5 optimizer steps (``opt_step``, ``poisson_dev``) and per epoch
(``epoch``, ``train_dev``, ``val_dev``, ``val_dev_null`` of the constant-frequency model).
Bug: each micro-batch loss is backpropagated as it is (``loss.backward()``, not
``(loss / 8).backward()``), so every optimizer step applies the sum of 8 mean gradients, an
8× larger step than the lr was tuned for: the deviance of the logged micro-batch is 0.19 at
optimizer step 5, infinite at step 10 and NaN from step 15 on; every weight ends NaN."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

N_REGION, ACCUM, MICRO = 12, 8, 64


def portfolio(n, g):
    age = 18 + 62 * torch.rand(n, generator=g)
    vage = 15 * torch.rand(n, generator=g)
    power = 4 + 10 * torch.rand(n, generator=g)
    bm = 50 + 100 * torch.rand(n, generator=g) ** 3
    dens = 2 + 7 * torch.rand(n, generator=g)
    diesel = (torch.rand(n, generator=g) < 0.45).float()
    region = torch.randint(0, N_REGION, (n,), generator=g)
    reg_eff = 0.3 * torch.randn(N_REGION, generator=torch.Generator().manual_seed(2))
    expo = 0.1 + 0.9 * torch.rand(n, generator=g)
    loglam = (-2.9 + 0.9 * torch.exp(-(age - 18) / 8) + 0.01 * (age - 45).clamp(min=0)
              + 0.012 * (bm - 50) + 0.06 * (power - 9) - 0.03 * vage + 0.08 * (dens - 5.5)
              + 0.1 * diesel + reg_eff[region])
    claims = torch.poisson(expo * torch.exp(loglam), generator=g)
    x = torch.stack([(age - 45) / 18, (vage - 7.5) / 4.3, (power - 9) / 2.9, (bm - 75) / 25,
                     (dens - 5.5) / 2, diesel], 1)
    return region, x, expo, claims


class FreqNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.region = nn.Embedding(N_REGION, 3)
        self.mlp = nn.Sequential(nn.Linear(9, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(),
                                 nn.Linear(32, 1))
        nn.init.constant_(self.mlp[-1].bias, -2.6)  # the portfolio's log frequency

    def forward(self, region, x, exposure):
        log_lambda = self.mlp(torch.cat([self.region(region), x], 1)).squeeze(1)
        return log_lambda + torch.log(exposure)  # offset: expected claims = exposure * lambda


def build():
    torch.manual_seed(0)
    return FreqNet()


def deviance(log_mu, claims):
    mu = torch.exp(log_mu)
    term = torch.where(claims > 0, claims * torch.log(claims / mu), torch.zeros_like(mu))
    return (2 * (term - (claims - mu))).mean().item()


def main():
    from _hundredseventeenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    region, x, expo, claims = portfolio(28000, g)
    tr, va = torch.arange(24000), torch.arange(24000, 28000)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=1.0, momentum=0.9)
    null = torch.log(claims[tr].sum() / expo[tr].sum())
    log = open(out / "freq_train.jsonl", "w")
    step = 0
    for epoch in range(1, 7):
        model.train()
        perm = tr[torch.randperm(len(tr), generator=g)]
        tot, n_mb = 0.0, 0
        opt.zero_grad()
        for k, i in enumerate(range(0, len(perm) - MICRO + 1, MICRO)):
            idx = perm[i:i + MICRO]
            loss = F.poisson_nll_loss(model(region[idx], x[idx], expo[idx]), claims[idx],
                                      log_input=True)
            loss.backward()
            tot += loss.item()
            n_mb += 1
            if (k + 1) % ACCUM == 0:
                opt.step()
                opt.zero_grad()
                step += 1
                if step % 5 == 0:
                    with torch.no_grad():
                        d = deviance(model(region[idx], x[idx], expo[idx]), claims[idx])
                    log.write(json.dumps({"opt_step": step, "poisson_dev": round(d, 5)}) + "\n")
        model.eval()
        with torch.no_grad():
            rec = {"epoch": epoch,
                   "train_dev": round(deviance(model(region[tr], x[tr], expo[tr]), claims[tr]), 5),
                   "val_dev": round(deviance(model(region[va], x[va], expo[va]), claims[va]), 5),
                   "val_dev_null": round(deviance(null + torch.log(expo[va]), claims[va]), 5),
                   "mean_nll": round(tot / n_mb, 5)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(),
                "optimizer_steps": step, "accumulation_steps": ACCUM, "micro_batch": MICRO},
               out / "freqnet.pt")
    bi = va[:512]
    finish(out, __file__, {"inputs": region[bi], "x": x[bi], "exposure": expo[bi],
                           "targets": claims[bi]},
           causes=["grad_accum_unscaled"], checkpoint="freqnet.pt", log="freq_train.jsonl",
           what="Poisson claim-frequency net, gradients accumulated over 8 micro-batches "
                "without dividing the loss by 8",
           complaint="The claim-frequency net blows up right away: the logged Poisson deviance is "
                     "0.19 at optimizer step 5, inf at step 10 and NaN from step 15 on, and train "
                     "and validation deviance are NaN for all 6 epochs. Same lr 1.0 with SGD "
                     "momentum that we used before; the only change is that the new box runs "
                     "micro-batches of 64 instead of batches of 512.")


if __name__ == "__main__":
    main()
