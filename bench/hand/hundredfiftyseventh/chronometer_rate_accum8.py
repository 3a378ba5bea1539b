"""A watch workshop predicts a movement's mean daily rate in a 15-day chronometer trial (s/d)
from a 10-minute timegrapher check before it goes in: rate and amplitude in 6 positions, beat
error, lift angle, the bench temperature and the hairspring's batch stiffness — 16 features,
standardised; the target is standardised too (mean 1.9 s/d, std 4.2). The trial rate depends on
the positional rates (weighted by how long a watch spends in each position), the
amplitude–rate isochronism (low amplitude runs fast), and temperature × stiffness. An MLP 16 →
64 → 64 → 1 with tanh, MSE, SGD lr 0.05 momentum 0.9 — the lr found on micro-batches of 16 —
then "made bigger" with gradient accumulation over 8 micro-batches (effective batch 128) to
match a colleague's batch. 14 epochs of 3072 movements; a tab-separated log every optimizer
step (``opt_step``, ``epoch``, ``mse``, ``grad_norm``) and a plain-text summary line per
epoch (``val_mse``, ``val_mae_s_per_day``) in a second file.
Bug: ``loss.backward()`` on every micro-batch and ``optimizer.step()`` every 8th, the loss not
divided by ``ACCUM``: the accumulated gradient is 8 × the mean, so the effective lr is 0.4 with
momentum 0.9. The step MSE goes 0.97, 1.04, 3.40, 2.30, 32.3, 1177, 16405, 3.6e6 … inf at
optimizer step 21 and NaN from step 23 (of 24 in the first epoch), grad norm 22 → 412 at step 5
→ inf; val MSE NaN for all 14 epochs. The control (``(loss / ACCUM).backward()``) trains: val MSE
0.138 → 0.025 (standardised), val MAE 1.15 → 0.49 s/d. (At lr 0.02 the unscaled run does not
fail: it is just a bigger lr, and it trains faster than the divided one; 0.03 and 0.04 diverge
too.)"""
import torch
import torch.nn as nn
import torch.nn.functional as F

ACCUM = 8
MICRO = 16
POS_W = torch.tensor([0.30, 0.10, 0.25, 0.15, 0.10, 0.10])  # DU DD CU CD CL CR time share


def movements(n, g):
    rn = lambda *s: torch.randn(*s, generator=g)  # noqa: E731
    amp = 270 + 20 * rn(n, 1) + 8 * rn(n, 6)
    pos_rate = 2 + 3 * rn(n, 1) + 4 * rn(n, 6) - 0.05 * (amp - 270)
    be = (0.4 * rn(n)).abs()
    lift = 52 + 1.5 * rn(n)
    temp = 22 + 2 * rn(n)
    stiff = rn(n)
    x = torch.cat([pos_rate, amp, be[:, None], lift[:, None], temp[:, None], stiff[:, None]], 1)
    trial = (pos_rate @ POS_W - 0.04 * (amp.mean(1) - 270) + 0.6 * (temp - 22) * stiff
             + 1.5 * torch.tanh(be - 0.3) + 0.5 * rn(n))
    return x, trial


class RateMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(16, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(),
                                 nn.Linear(64, 1))

    def forward(self, x):
        return self.net(x).squeeze(-1)


def build():
    torch.manual_seed(0)
    return RateMLP()


def main():
    from _hundredfiftyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = movements(3584, g)
    mu, sd = x[:3072].mean(0), x[:3072].std(0)
    ym, ys = y[:3072].mean(), y[:3072].std()
    x, y = (x - mu) / sd, (y - ym) / ys
    xtr, ytr, xva, yva = x[:3072], y[:3072], x[3072:], y[3072:]
    model = build()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    steps = open(out / "steps.tsv", "w")
    steps.write("opt_step\tepoch\tmse\tgrad_norm\n")
    summary = open(out / "epochs.txt", "w")
    n_step = 0
    for epoch in range(1, 15):
        model.train()
        perm = torch.randperm(3072, generator=g)
        optimizer.zero_grad()
        running = 0.0
        for it in range(3072 // MICRO):
            idx = perm[it * MICRO:(it + 1) * MICRO]
            loss = F.mse_loss(model(xtr[idx]), ytr[idx])
            loss.backward()
            running += loss.item() / ACCUM
            if (it + 1) % ACCUM == 0:
                gn = torch.sqrt(sum((p.grad ** 2).sum() for p in model.parameters())).item()
                optimizer.step()
                optimizer.zero_grad()
                n_step += 1
                steps.write(f"{n_step}\t{epoch}\t{running:.5f}\t{gn:.4f}\n")
                running = 0.0
        model.eval()
        with torch.no_grad():
            pred = model(xva)
            vm = F.mse_loss(pred, yva).item()
            mae = ((pred - yva).abs().mean() * ys).item()
        summary.write(f"epoch {epoch} val_mse {vm:.4f} val_mae_s_per_day {mae:.3f}\n")
        print(epoch, round(vm, 4), round(mae, 3))
    steps.close()
    summary.close()
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                "epoch": 14, "opt_steps": n_step, "accum_steps": ACCUM,
                "x_norm": (mu, sd), "y_norm": (ym, ys)}, out / "rate_mlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["grad_accum_unscaled"],
           checkpoint="rate_mlp.pth", log="steps.tsv",
           what="chronometer-trial rate MLP, gradient accumulation x8 with the loss not "
                "divided by the accumulation steps",
           complaint="我把批量用梯度累积（8 个 micro-batch，每个 16 块机芯）放大到 128，学习率还是原来"
                     "在 batch 16 上调好的 0.05。结果第一个 epoch 里训练 MSE 从 0.97 涨到 32、"
                     "1177，再到 inf，第 23 步以后全是 NaN，验证集 14 个 epoch 都是 NaN。"
                     "不用累积的时候这个学习率明明很稳定，为什么只是改成累积就炸了？")


if __name__ == "__main__":
    main()
