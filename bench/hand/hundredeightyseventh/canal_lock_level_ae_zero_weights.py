"""Plain torch: an autoencoder learns normal water-level curves of a canal lock chamber, one
curve per lockage (64 samples of the chamber level, 2 s apart, relative to the lower pound),
so that a lockage it reconstructs badly can be flagged for the lock keeper (a sticking sluice
paddle, a leaking gate). A curve is a filling or an emptying: the level moves between the two
pound levels along a ramp whose length follows how fast the paddles were wound up, the upper
pound level varies with the canal's water supply, and the fast paddle openings leave a
damped surge; plus gauge noise. MLP autoencoder 64-32-8-32-64 (ReLU, linear output), Adam
1e-3, MSE, batch 32, 25 epochs of 1024 curves.
The bug: the model's ``_init_weights`` (meant to zero the biases and leave the weights to
PyTorch) also sets every Linear weight with ``nn.init.constant_(m.weight, 0.0)``; every hidden
activation is then zero, no gradient reaches any weight, and only the output bias learns: the
network puts out the mean curve for every lockage. Train MSE 1.14–1.19 per 10 steps all
through the 25 epochs, val MSE 1.1703 at epoch 1 and 1.1753 at epoch 25 (the val curves'
variance around the training mean curve is 1.1756).
Control (``nn.init.xavier_uniform_(m.weight)`` in that line): val MSE 0.77 at epoch 1, 0.066
at epoch 5, 0.0068 at epoch 25."""
import json
import math

import torch
import torch.nn as nn

T = 64


def lockages(n, g):
    t = torch.arange(T).float()
    r = torch.rand(n, 6, generator=g)
    upper = 2.4 + 0.6 * r[:, :1]                            # m above the lower pound
    fill = (r[:, 1:2] < 0.5).float()
    start = 4 + 8 * r[:, 2:3]
    length = 18 + 24 * r[:, 3:4]                            # slow or fast paddles
    s = ((t - start) / length).clamp(0, 1)
    ramp = s * s * (3 - 2 * s)
    level = torch.where(fill.bool(), upper * ramp, upper * (1 - ramp))
    after = (t - start - length).clamp(min=0)
    surge = (0.25 * (42 - length) / 24 * torch.exp(-after / 8)
             * torch.sin(2 * math.pi * after / (9 + 4 * r[:, 4:5])) * (after > 0))
    level = level + surge * (2 * fill - 1)
    level = level + 0.03 * torch.randn(n, T, generator=g)
    return (level - 1.35) / 1.1


class LevelAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(T, 32), nn.ReLU(), nn.Linear(32, 8))
        self.decoder = nn.Sequential(nn.ReLU(), nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, T))
        self.apply(self._init_weights)

    @staticmethod
    def _init_weights(m):
        if isinstance(m, nn.Linear):
            nn.init.constant_(m.bias, 0.0)
            nn.init.constant_(m.weight, 0.0)

    def forward(self, x):
        return self.decoder(self.encoder(x))


def build():
    torch.manual_seed(0)
    return LevelAE()


def main():
    from _hundredeightyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr = lockages(1024, g)
    xva = lockages(256, g)
    print(f"val variance around the mean curve {((xva - xtr.mean(0)) ** 2).mean():.4f}")
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr), batch_size=32,
                                        shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    mse = nn.MSELoss()
    step = 0
    with open(out / "log.jsonl", "w") as f:
        for epoch in range(1, 26):
            model.train()
            run = []
            for (xb,) in train:
                loss = mse(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                run.append(loss.item())
                if step % 10 == 0:
                    f.write(json.dumps({"step": step, "epoch": epoch,
                                        "recon_mse": round(sum(run) / len(run), 5)}) + "\n")
                    run = []
            model.eval()
            with torch.no_grad():
                v = mse(model(xva), xva).item()
            f.write(json.dumps({"step": step, "epoch": epoch, "val_recon_mse": round(v, 5)})
                    + "\n")
            print(epoch, round(v, 5))
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 25,
                "global_step": step}, out / "level_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["zero_weight_init"],
           checkpoint="level_ae.pt", log="log.jsonl",
           what="canal lock chamber-level autoencoder with every Linear weight initialised to 0",
           complaint=("船闸闸室水位曲线的自编码器训练不下去：25 个 epoch，验证集重建 MSE 从第 1 个 epoch 起就一直是 1.17 "
                      "左右，几乎没有变化（1.1703 到 1.1753），训练 loss 也一直在 1.14 到 1.19 之间晃。画出来看，不管输入是充水还是泄水，"
                      "重建出来的都是同一条平平的曲线。Adam 学习率 1e-3，要不要把瓶颈从 8 调大？"))


if __name__ == "__main__":
    main()
