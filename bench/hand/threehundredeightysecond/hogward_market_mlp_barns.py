"""Plain torch: a plain MLP tells the hogward which finishing pigs will be at market weight
(115 kg live) by day 160, from the day-100 weigh-in, so the lorry can be booked for the right
number (binary). Inputs: weight at the weigh-in (kg, 48-78), age at the weigh-in (days,
95-110), average daily feed intake over the last fortnight (kg, 2.0-3.2), mean house
temperature over that fortnight (°C), Duroc share of the breeding (0, 0.25, 0.5), barrow or
gilt, pen mates (8-20). Gain to day 160 is feed intake × feed efficiency: efficiency 0.34,
better with Duroc blood and in barrows, a little worse in big pens, falling by 5 % per °C
above 24 °C (heat stress: the pigs pant the energy away) and by 3.5 % per °C below 15 °C
(keeping warm), with 4 kg of pig-to-pig scatter.
Input: (7,) standardised with the train mean / std. Target: 1 if the projected day-160
weight is ≥ 115 kg. Model: 7→48→ReLU→48→ReLU→1; BCE with logits, NAdam 2e-3, batch 64,
15 epochs, 3000 pigs, validation on 800.
The bug: the training records come from the farm's own climate-controlled finishing house,
``rtr, ytr = pens(3000, g, (17.0, 23.0))  # records from our own finishing house``, where the
temperature never leaves 17-23 °C, while the model is checked on (and meant for) the
naturally ventilated contract barns, 8-32 °C: it never sees the heat or the cold cost gain
and calls hot and cold pigs ready: train BCE 0.69 → 0.22 while val BCE
goes 0.394 → 0.456 (0.39-0.57 on the way), val accuracy 0.78-0.83 (0.8125 last), precision of
the ready calls 0.69 → 0.70 against 0.375 ready in the contract barns (control, training records drawn over
8-32 °C as well: val BCE 0.359 → 0.232, val accuracy 0.842 → 0.899, precision
0.86 → 0.90).
Log: one JSON lines file ``market_log.jsonl`` with ``{"kind": "step", step, bce}`` every 10
steps and ``{"kind": "val", epoch, val_bce, val_acc, val_precision_ready}`` per epoch;
checkpoint ``market_mlp.pt`` with keys ``mlp`` / ``nadam`` / ``epoch`` / ``feat_mean`` /
``feat_std`` / ``market_kg``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

MARKET_KG = 115.0


def pens(n, g, temp_range):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    w = 48 + 30 * r(n)
    age = 95 + 15 * r(n)
    feed = 2.0 + 1.2 * r(n)
    lo, hi = temp_range
    temp = lo + (hi - lo) * r(n)
    duroc = 0.25 * torch.randint(0, 3, (n,), generator=g).float()
    barrow = (r(n) < 0.5).float()
    mates = torch.randint(8, 21, (n,), generator=g).float()
    eff = 0.34 * (1 + 0.12 * duroc + 0.04 * barrow - 0.006 * (mates - 12).clamp(min=0))
    eff = eff * (1 - 0.05 * (temp - 24).clamp(min=0) - 0.035 * (15 - temp).clamp(min=0))
    w160 = w + (160 - age) * feed * eff + 4 * torch.randn(n, generator=g)
    x = torch.stack([w, age, feed, temp, duroc, barrow, mates], 1)
    return x, (w160 >= MARKET_KG).float().unsqueeze(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(7, 48), nn.ReLU(), nn.Linear(48, 48), nn.ReLU(),
                         nn.Linear(48, 1))


def main():
    from _threehundredeightysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = pens(3000, g, (17.0, 23.0))  # records from our own finishing house
    rva, yva = pens(800, g, (8.0, 32.0))  # the contract barns
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("ready share train / val", ytr.mean().item(), yva.mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.NAdam(model.parameters(), lr=2e-3)
    step = 0
    with open(out / "market_log.jsonl", "w") as log:
        for epoch in range(15):
            model.train()
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 10 == 0:
                    log.write(json.dumps({"kind": "step", "step": step, "bce": loss.item()}) + "\n")
                step += 1
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = (logits > 0).float()
            rec = {"kind": "val", "epoch": epoch,
                   "val_bce": F.binary_cross_entropy_with_logits(logits, yva).item(),
                   "val_acc": (pred == yva).float().mean().item(),
                   "val_precision_ready": ((pred * yva).sum() / pred.sum().clamp(min=1)).item()}
            log.write(json.dumps(rec) + "\n")
            print(rec, loss.item())
    torch.save({"mlp": model.state_dict(), "nadam": opt.state_dict(), "epoch": 15,
                "feat_mean": mean, "feat_std": std, "market_kg": MARKET_KG}, out / "market_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["distribution_shift"],
           checkpoint="market_mlp.pt", log="market_log.jsonl",
           what="plain MLP calling which finishing pigs reach 115 kg by day 160; trained on a"
                " climate-controlled house (17-23 °C), checked on contract barns (8-32 °C)",
           complaint="We built a model to tell us which pigs will make 115 kg by day 160 so we"
                     " can book the lorry. Training loss comes down nicely to about 0.2, but on"
                     " the pigs from the contract barns validation loss goes up from 0.39 to"
                     " 0.46 and bounces up to 0.57, accuracy is stuck around 80 %, and almost a"
                     " third of the pigs it calls ready are not. Last month we sent a lorry"
                     " with too few pigs on it.")


if __name__ == "__main__":
    main()
