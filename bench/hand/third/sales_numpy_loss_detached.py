"""Weekly sales regression (10 standardised store features -> log sales). The business wants
a weighted MAE, written in numpy for the report and reused as the training loss by wrapping
its value in ``torch.tensor(..., requires_grad=True)``. ``backward()`` then runs on a new leaf
cut off from the model: no parameter ever gets a gradient. Adam 1e-3, JSON-lines log."""
import json

import numpy as np
import torch
import torch.nn as nn


def stores(n, g):
    x = torch.randn(n, 10, generator=g)
    y = 0.8 * x[:, 0] + 0.5 * x[:, 1] - 0.4 * x[:, 2] + 0.3 * torch.tanh(2 * x[:, 3]) + 2.0
    return x, y + 0.2 * torch.randn(n, generator=g)


def weighted_mae(pred, target):
    """The report's metric: errors on big stores count double."""
    w = np.where(target > 2.5, 2.0, 1.0)
    return float(np.sum(w * np.abs(pred - target)) / np.sum(w))


class SalesNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 1))

    def forward(self, x):
        return self.layers(x).squeeze(-1)


def build():
    torch.manual_seed(0)
    return SalesNet()


def main():
    from _third import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = stores(2000, g), stores(500, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    log = open(out / "metrics.jsonl", "w")
    step = 0
    for epoch in range(10):
        perm = torch.randperm(len(x), generator=g)
        for i in range(0, len(x), 50):
            idx = perm[i:i + 50]
            pred = model(x[idx])
            value = weighted_mae(pred.detach().numpy(), y[idx].numpy())
            loss = torch.tensor(value, requires_grad=True)
            opt.zero_grad()
            loss.backward()
            opt.step()
            if step % 10 == 0:
                with torch.no_grad():
                    val = weighted_mae(model(vx).numpy(), vy.numpy())
                log.write(json.dumps({"step": step, "epoch": epoch, "loss": loss.item(),
                                      "val_wmae": val}) + "\n")
            step += 1
    log.close()
    print("val weighted MAE", val)
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "step": step},
               out / "sales.pt")
    finish(out, __file__, (vx[:100], vy[:100]), causes=["gradient_not_flowing"],
           checkpoint="sales.pt", log="metrics.jsonl",
           what="loss recomputed in numpy and wrapped in torch.tensor(requires_grad=True)",
           complaint="the loss does not go down at all, it just jitters around 2")


if __name__ == "__main__":
    main()
