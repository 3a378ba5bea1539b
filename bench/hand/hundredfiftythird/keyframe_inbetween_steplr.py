"""Animation: an MLP in-betweener predicts the middle pose (12 joints × 2 = 24 numbers) from
the two keyframe poses around it and the easing curve id (one-hot of 4), trained on synthetic
rigs whose in-between is a nonlinear blend (arc motion) of the two keys. Adam 2e-3, batch 32,
40 epochs of 1280 samples.
Bug: ``StepLR(step_size=10, gamma=0.5)`` (meant as halve every 10 epochs) but
``scheduler.step()`` sits inside the batch loop, so the lr halves every 10 batches: 40 batches
per epoch → lr 2e-3 · 0.5^4 after epoch 1, ~1e-15 by epoch 5; the loss freezes high."""
import csv

import torch
import torch.nn as nn

J = 12


def poses(n, g):
    a = torch.randn(n, 2 * J, generator=g)
    b = torch.randn(n, 2 * J, generator=g)
    ease = torch.randint(0, 4, (n,), generator=g)
    t = torch.tensor([0.5, 0.3, 0.7, 0.5])[ease][:, None]
    arc = torch.tensor([0.0, 0.2, 0.2, 0.6])[ease][:, None]
    mid = (1 - t) * a + t * b + arc * torch.tanh(a * b) + 0.3 * torch.sin(a - b)
    x = torch.cat([a, b, nn.functional.one_hot(ease, 4).float()], 1)
    return x, mid


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(4 * J + 4, 128), nn.GELU(), nn.Linear(128, 128), nn.GELU(),
                         nn.Linear(128, 2 * J))


def main():
    from _hundredfiftythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = poses(1280, g)
    xva, yva = poses(400, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    scheduler = torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.5)
    f = open(out / "inbetween_metrics.csv", "w", newline="")
    w = csv.DictWriter(f, fieldnames=["epoch", "lr", "train_mse", "val_mse"])
    w.writeheader()
    for epoch in range(40):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        tot = 0.0
        for i in range(0, len(xtr), 32):
            idx = perm[i:i + 32]
            loss = nn.functional.mse_loss(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            scheduler.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            vm = nn.functional.mse_loss(model(xva), yva).item()
        row = {"epoch": epoch, "lr": f"{opt.param_groups[0]['lr']:.3g}",
               "train_mse": round(tot / len(xtr), 5), "val_mse": round(vm, 5)}
        w.writerow(row)
        if epoch % 5 == 0 or epoch == 39:
            print(row)
    f.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": scheduler.state_dict(), "epoch": 40}, out / "inbetweener.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["scheduler_step_per_batch"],
           checkpoint="inbetweener.pth", log="inbetween_metrics.csv",
           what="keyframe in-between MLP, StepLR(10, 0.5) stepped every batch",
           complaint="补间动画的 MLP 训练了 40 个 epoch，但从第 5 个 epoch 起 loss 就完全不动了："
                     "train MSE 一直是 0.4308，val MSE 0.4600（第一个 epoch 是 0.514 / 0.475），"
                     "生成的中间帧姿态几乎就是两帧的平均，没有弧线运动。")


if __name__ == "__main__":
    main()
