"""Plain torch: an MLP regression predicts how long a scene change takes in a repertory theatre
(seconds, standardised for training) from 10 numbers of the stage manager's cue sheet: flown
pieces, tracked wagons, props to strike, crew on deck, revolve turns (0/1), covered by blackout
(0/1), costume quick-change (0/1), distance the wagons travel, rehearsal count of the change,
show running week. The time is a nonlinear sum (wagons share the crew, quick-changes set a
floor, rehearsals speed things up) plus noise. MLP 10-64-64-1, MSE, Adam lr 1e-3, batch 32, 40
epochs of 1536 cue sheets; ``ExponentialLR`` stepped once per epoch.
The bug: ``ExponentialLR(opt, gamma=0.5)`` ("halve it as we go") — halving every epoch leaves lr
1e-3 · 0.5^10 = 1e-6 after 10 epochs and 1.8e-15 at epoch 40, so the model stops where it was
after ~6 epochs: val MSE (standardised) 0.196, 0.164, 0.145 at epochs 1–3, then 0.1365 at epoch
8, 0.1363 from epoch 12 and 0.13628 from epoch 16 to 40 (val MAE 3.37 s); train MSE 0.1528 from
epoch 11 to 40, above the val MSE. Control (``gamma=0.95``): val MSE 0.085 at epoch 10, 0.067 at
20, 0.061 at 40 (val MAE 2.29 s), train MSE 0.040."""
import json

import torch
import torch.nn as nn


def cue_sheets(n, g):
    x = torch.randn(n, 10, generator=g)
    flown = torch.relu(x[:, 0] + 1)
    wagons = torch.relu(x[:, 1] + 0.5)
    crew = 1.5 + torch.sigmoid(x[:, 3]) * 2
    t = (0.7 * flown + 1.2 * wagons / crew * (1 + 0.5 * x[:, 7].abs()) + 0.3 * x[:, 2]
         + 0.6 * x[:, 4] * (x[:, 4] > 0) - 0.4 * torch.tanh(x[:, 8]) * wagons)
    t = torch.maximum(t, 0.8 * (x[:, 6] > 0.5).float()) - 0.2 * x[:, 5]
    y = 25 + 12 * (t + 0.15 * torch.randn(n, generator=g))  # seconds
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 1))


def main():
    from _hundredsixtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = cue_sheets(1920, g)
    mu, sd = y[:1536].mean(), y[:1536].std()
    y = (y - mu) / sd
    xtr, ytr, xva, yva = x[:1536], y[:1536], x[1536:], y[1536:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)
    mse = nn.MSELoss()
    log = open(out / "scene_change_log.jsonl", "w")
    for epoch in range(1, 41):
        model.train()
        perm = torch.randperm(1536, generator=g)
        tot = 0.0
        for i in range(0, 1536, 32):
            idx = perm[i:i + 32]
            loss = mse(model(xtr[idx]).squeeze(1), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        lr = opt.param_groups[0]["lr"]
        sched.step()
        model.eval()
        with torch.no_grad():
            pv = model(xva).squeeze(1)
        rec = {"epoch": epoch, "lr": lr, "train_loss": round(tot / 1536, 5),
               "val_loss": round(mse(pv, yva).item(), 5),
               "val_mae_s": round(((pv - yva).abs().mean() * sd).item(), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict(), "epoch": 40}, out / "scene_change_mlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_decay_too_fast"],
           checkpoint="scene_change_mlp.pth", log="scene_change_log.jsonl",
           what="scene-change duration MLP regression, ExponentialLR(gamma=0.5) per epoch:"
                " lr gone after ~10 epochs",
           complaint=("换景时长回归模型（舞台监督的换景表 10 个特征 → 换景秒数）：前三个 epoch loss 降得很快，"
                      "之后就完全不动了。从第 16 个 epoch 到第 40 个 epoch，验证 MSE 一直是 0.13628，"
                      "验证 MAE 一直是 3.37 秒，训练 MSE 一直是 0.1528，小数点后面的数字一点都不变。"
                      "Adam lr 1e-3，batch 32。是模型太小了吗？要不要加层或者加宽？"))


if __name__ == "__main__":
    main()
