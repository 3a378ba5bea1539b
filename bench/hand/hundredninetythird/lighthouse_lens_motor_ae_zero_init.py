"""Plain torch: an autoencoder learns what a normal night of a lighthouse's rotating lens looks
like, so the keeper's tablet can flag a worn bearing or a slipping drive belt by its
reconstruction error. Input: 32 numbers per rotation, the lens-drive motor current sampled at
32 angles; a healthy rotation is a smooth profile (the lens's unbalance gives a once- and
twice-per-turn wave whose phase and size vary from lighthouse to lighthouse, plus the mains
voltage offset) with sensor noise. MLP autoencoder 32-24-6-24-32 with Tanh, MSE, Adam 2e-3,
batch 64, 25 epochs of 2048 rotations, shuffled.
Log: CSV per step (``iter``, ``epoch``, ``recon_mse``), with ``val_mse`` filled on each epoch's
last row; checkpoint ``model`` / ``optim`` / ``epoch``.
The bug: a ``reset_parameters`` helper the keeper's colleague wrote "so retraining starts from
the same point every night" sets every Linear weight to a constant, ``nn.init.constant_(w,
0.0)``, and the biases to 0. With all weights zero no gradient reaches any layer but the last
bias, so the network outputs the mean rotation for every input: val MSE 0.5684 after epoch 1 and 0.5682–0.5686 every
epoch to 25 (the data's variance around the mean profile); the per-step train MSE wanders
0.50–0.65 and never falls.
Control (``nn.init.xavier_uniform_(m.weight)`` instead): val MSE 0.235, 0.138, 0.086 at epochs 1–3, 0.012 at 10,
0.0053 at 25."""
import csv
import math

import torch
import torch.nn as nn


def rotations(n, g):
    a = torch.linspace(0, 2 * math.pi, 33)[:-1]
    p1, p2 = 2 * math.pi * torch.rand(n, 1, generator=g), 2 * math.pi * torch.rand(n, 1, generator=g)
    s1 = 0.5 + 0.8 * torch.rand(n, 1, generator=g)
    s2 = 0.6 * torch.rand(n, 1, generator=g)
    off = 0.3 * torch.randn(n, 1, generator=g)
    x = off + s1 * torch.sin(a + p1) + s2 * torch.sin(2 * a + p2)
    return x + 0.05 * torch.randn(n, 32, generator=g)


def reset_parameters(m):
    if isinstance(m, nn.Linear):
        nn.init.constant_(m.weight, 0.0)
        nn.init.zeros_(m.bias)


def build():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(32, 24), nn.Tanh(), nn.Linear(24, 6), nn.Tanh(),
                          nn.Linear(6, 24), nn.Tanh(), nn.Linear(24, 32))
    model.apply(reset_parameters)
    return model


def main():
    from _hundredninetythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, xva = rotations(2048, g), rotations(256, g)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr), batch_size=64,
                                        shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    mse = nn.MSELoss()
    it = 0
    with open(out / "lens_ae_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["iter", "epoch", "recon_mse", "val_mse"])
        for epoch in range(1, 26):
            model.train()
            for i, (xb,) in enumerate(train):
                loss = mse(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                it += 1
                val = ""
                if i == len(train) - 1:
                    model.eval()
                    with torch.no_grad():
                        val = round(mse(model(xva), xva).item(), 5)
                    print(epoch, round(loss.item(), 5), val)
                w.writerow([it, epoch, round(loss.item(), 5), val])
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 25},
               out / "lens_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["zero_weight_init"],
           checkpoint="lens_ae.pt", log="lens_ae_log.csv",
           what="lighthouse lens-motor autoencoder with every Linear weight set to 0 by a reset"
                " helper",
           complaint=("灯塔透镜电机电流的自编码器训练了 25 个 epoch，验证集重建误差一直是 0.568 左右，第一个 epoch "
                      "之后就完全没变过，训练误差也在 0.5 到 0.65 之间来回跳。把重建出来的曲线画出来，"
                      "每一圈都是同一条曲线，不管输入是什么。学习率从 1e-3 调到 2e-3 也一样。"))


if __name__ == "__main__":
    main()
