"""Plain torch: an MLP reads a week of a planted terrarium's climate log, summarised as 9
numbers (day and night air temperature, their swing, mean and minimum relative humidity,
UV index at the basking spot, substrate moisture, air changes per hour from the vent fan,
hours of light), and says which of 6 animals would do well in it (multi-label: crested
gecko, dart frog, leopard gecko, corn snake, isopod colony, bearded dragon), so a keeper
can check a build before stocking it. Each animal has a comfort window in temperature,
humidity, UV and ventilation and a soft score (an animal does well when its score clears
a threshold); windows overlap, so several labels can be on at once.
Input: 9 standardised features. Model: linear 9→64 + tanh, linear 64→64 + tanh, linear
64→6 (logits); BCE with logits, Adam 1e-2 with MultiStepLR (×0.3 at epochs 10 and 15),
batch 50, 18 epochs over 2000 terrarium weeks, validation on 500.
The bug: the model is set up with ``model.apply(init_linear)`` where ``init_linear`` calls
``nn.init.zeros_(m.weight)  # start from a neutral model: every species at 50 %`` (and
zeros the bias); every hidden unit is zero and gets no gradient, so only the output bias
moves and the model predicts each animal's base rate (3-22 %) for every terrarium: train
BCE 0.632 → 0.397, val BCE 0.579 → 0.412, val micro-F1 0 in every epoch (no animal is
ever predicted), exact match 0.53 throughout (the share of weeks that suit no animal)
(control, ``nn.init.xavier_uniform_(m.weight)``: train BCE 0.368 → 0.044, val BCE 0.275
→ 0.068, micro-F1 0.46 → 0.90, exact match 0.56 → 0.83).
Log: TSV per epoch ``habitat.tsv`` (``ep`` / ``lr`` / ``bce_train`` / ``bce_val`` /
``micro_f1`` / ``exact_match``); checkpoint ``habitat_mlp.pt`` with keys ``state`` /
``opt`` / ``milestones`` / ``ep`` / ``species`` / ``x_mean`` / ``x_std``."""
import torch
import torch.nn as nn
import torch.nn.functional as F

SPECIES = ["crested_gecko", "dart_frog", "leopard_gecko", "corn_snake", "isopods", "bearded_dragon"]
# comfort windows: day °C, night °C, humidity %, UV index, air changes / h
WIN = torch.tensor([[24, 20, 70, 1, 4], [25, 21, 90, 1, 2], [31, 22, 40, 2, 6],
                    [28, 21, 50, 1, 6], [23, 19, 80, 0, 2], [36, 22, 30, 6, 8]]).float()
TOL = torch.tensor([5.0, 4.0, 20.0, 2.5, 4.0])


def weeks(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    day = 20 + 18 * r(n)
    night = day - 2 - 10 * r(n)
    hum = 20 + 80 * r(n)
    uv = 7 * r(n) ** 2
    ach = 0.5 + 9 * r(n)
    hum = (hum - 2 * (ach - 4)).clamp(15, 99)  # more fan, drier air
    light = 10 + 4 * r(n)
    soil = (hum / 100 + 0.2 * torch.randn(n, generator=g)).clamp(0, 1)
    hmin = hum - 5 - 15 * r(n)
    v = torch.stack([day, night, hum, uv, ach], 1)
    score = -(((v.unsqueeze(1) - WIN) / TOL) ** 2).sum(2)  # (n, 6)
    score = score + 0.15 * torch.randn(n, 6, generator=g)
    y = (score > -3).float()
    x = torch.stack([day, night, day - night, hum, hmin, uv, soil, ach, light], 1)
    return x, y


def init_linear(m):
    if isinstance(m, nn.Linear):
        nn.init.zeros_(m.weight)  # start from a neutral model: every species at 50 %
        nn.init.zeros_(m.bias)


def build():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(9, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 6))
    model.apply(init_linear)
    return model


def scores(logit, y):
    p = (logit > 0).float()
    tp = (p * y).sum()
    f1 = 2 * tp / (p.sum() + y.sum()).clamp(min=1)
    return f1.item(), (p == y).all(1).float().mean().item()


def main():
    from _threehundredthirteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = weeks(2000, g)
    xva, yva = weeks(500, g)
    print("label rates", ytr.mean(0))
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[10, 15], gamma=0.3)
    with open(out / "habitat.tsv", "w") as f:
        f.write("ep\tlr\tbce_train\tbce_val\tmicro_f1\texact_match\n")
        for ep in range(18):
            model.train()
            perm = torch.randperm(len(xtr))
            tot = 0.0
            for i in range(0, len(xtr), 50):
                idx = perm[i:i + 50]
                loss = F.binary_cross_entropy_with_logits(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            lr = sched.get_last_lr()[0]
            sched.step()
            model.eval()
            with torch.no_grad():
                logit = model(xva)
            f1, em = scores(logit, yva)
            vb = F.binary_cross_entropy_with_logits(logit, yva).item()
            f.write(f"{ep}\t{lr:.6f}\t{tot / len(xtr):.5f}\t{vb:.5f}\t{f1:.5f}\t{em:.5f}\n")
            print(ep, round(tot / len(xtr), 4), round(vb, 4), round(f1, 4), round(em, 4))
    torch.save({"state": model.state_dict(), "opt": opt.state_dict(), "milestones": [10, 15],
                "ep": 18, "species": SPECIES, "x_mean": mu, "x_std": sd}, out / "habitat_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["zero_weight_init"],
           checkpoint="habitat_mlp.pt", log="habitat.tsv",
           what="MLP saying which of 6 animals would do well in a terrarium from a week of its"
                " climate log (multi-label); every Linear weight initialised to zero",
           complaint="Our terrarium suitability model never says yes to any animal: micro-F1"
                     " is exactly 0 in all 18 epochs and exact match sits at 0.53 from the first"
                     " epoch to the last, while the loss creeps down and flattens around 0.40."
                     " Many of the logged terrariums clearly suit a dart frog or a gecko.")


if __name__ == "__main__":
    main()
