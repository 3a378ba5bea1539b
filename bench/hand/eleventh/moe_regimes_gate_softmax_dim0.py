"""A mixture-of-experts regressor for a chiller plant's power draw: 8 sensor features
(standardised), three operating regimes (free cooling, one compressor, two compressors) that
the features decide, each with its own response; 4 expert MLPs (8-32-1) and a linear gate
with a softmax, output = sum of gate weight x expert output (a soft MoE, no load balancing
needed at this size). Adam 2e-3, batch 64, 15 epochs, JSON lines per epoch. Bug:
``torch.softmax(self.gate(x), dim=0)`` -- the gate is normalised over the *batch* instead of
over the experts, so each sample's weights are ~1/64 and depend on the other samples in the
batch; training adapts (the experts' outputs grow by ~64), train MSE 0.087, but the val
set is scored in one batch of 1000 and the val MSE is 0.885 in every epoch, as if the model
predicted ~0 (``dim=-1``: train 0.039, val 0.043)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F


def plant(n, g):
    x = torch.randn(n, 8, generator=g)
    load = x[:, 0] + 0.5 * x[:, 1]
    regime = (load > -0.5).long() + (load > 0.8).long()
    y = torch.where(regime == 0, 0.3 * x[:, 2] + 0.2 * x[:, 3] ** 2,
                    torch.where(regime == 1, 1.0 + 0.8 * load - 0.4 * x[:, 4],
                                2.5 + 1.5 * load + 0.5 * x[:, 5] * x[:, 6]))
    y = y + 0.1 * torch.randn(n, generator=g)
    return x, (y - y.mean()) / y.std()


class MoE(nn.Module):
    def __init__(self, experts=4):
        super().__init__()
        self.experts = nn.ModuleList(nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 1))
                                     for _ in range(experts))
        self.gate = nn.Linear(8, experts)

    def forward(self, x):
        w = torch.softmax(self.gate(x), dim=0)  # BUG: over the batch, not over the experts
        out = torch.cat([e(x) for e in self.experts], 1)  # (B, experts)
        return (w * out).sum(1)


def build():
    torch.manual_seed(0)
    return MoE()


def main():
    from _eleventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = plant(6000, g)
    vx, vy = plant(1000, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    log = open(out / "train_log.jsonl", "w")
    for epoch in range(15):
        model.train()
        total = 0.0
        for idx in torch.randperm(len(y), generator=g).split(64):
            loss = F.mse_loss(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            val = F.mse_loss(model(vx), vy).item()  # the whole validation set at once
        rec = {"epoch": epoch, "train_mse": total / len(y), "val_mse": val}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": epoch},
               out / "moe.pt")
    finish(out, __file__, (vx[:64], vy[:64]), causes=["softmax_wrong_dim"], checkpoint="moe.pt",
           log="train_log.jsonl", what="soft mixture of experts, gate softmax over the batch",
           complaint="chiller power mixture-of-experts model: train MSE gets down to 0.09 but the "
                     "val MSE is 0.88 from the first epoch to the last, nearly the variance of "
                     "the target; it is not overfitting slowly, it is bad from the start")


if __name__ == "__main__":
    main()
