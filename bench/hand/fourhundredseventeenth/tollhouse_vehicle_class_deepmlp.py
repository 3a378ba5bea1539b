"""Plain torch: a deep MLP assigns the toll class of a vehicle at an automatic tollhouse lane
from the lane's sensors, so the barrier can charge without a booth attendant: class 1 (cars,
vans under 2 m), 2 (2-axle vehicles 2-3 m high, up to 3.5 t: camper vans, tall vans), 3
(2-axle vehicles 3 m or taller or over 3.5 t: lorries, buses), 4 (3 or more axles and over
3 m or 3.5 t: articulated lorries, coaches), 5 (motorcycles). 8 inputs: axles counted by
the treadle, wheelbase (m), overall length from the light curtain (m), height over the first
axle (m), weigh-in-motion mass (t), speed in the lane (km/h), twin tyres seen (0/1), trailer
hitch seen (0/1). The rule is the operator's: class 5 if two wheels in line and under
0.5 t, else by height, mass and axles as above; a car or van towing a caravan counts as
class 2; sensor noise on every reading.
Input: (8,) standardised with the train mean / std. Model: Linear 8→64, then 9 hidden
Linear 64→64 layers, each followed by the activation, Linear 64→5; cross-entropy, SGD 0.05
(momentum 0.9), batch 100, 25 epochs, 4000 vehicles, validation on 1000.
The bug: the activation is ``act = nn.Sigmoid  # smooth activations between the hidden
layers`` in a 10-layer stack with default init: every sigmoid passes on at most a quarter of
the gradient, and the first layers get almost none; the net sits at the majority class for
the whole run: train CE 1.67 at step 0, 1.49 (mean of the last 4 logged steps), val CE 1.520
→ 1.499, val acc 0.387 (the class-1 share) every epoch (control, ``act = nn.ReLU``: also
stuck at 0.387 for 12 epochs, then val CE 1.501 → 0.153, val acc 0.954, train CE 0.18).
Log: JSON lines ``lane_log.jsonl`` with ``{"type": "step", step, ce}`` every 10 steps and
``{"type": "val", epoch, val_ce, val_acc}`` per epoch; checkpoint ``toll_class.pt`` with keys
``model_state`` / ``optim_state`` / ``epoch`` / ``norm_mean`` / ``norm_std`` /
``class_names``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

CLASSES = ["1_car", "2_tall_van", "3_two_axle_heavy", "4_multi_axle_heavy", "5_motorcycle"]
act = nn.Sigmoid  # smooth activations between the hidden layers


def vehicles(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    kind = torch.multinomial(torch.tensor([0.42, 0.12, 0.16, 0.2, 0.1]), n, replacement=True,
                             generator=g)
    towing = (kind == 0) & (r(n) < 0.15)
    axles = torch.tensor([2.0, 2, 2, 3, 2])[kind] + (kind == 3).float() * (r(n) * 3).floor()
    axles = axles + towing.float()
    wheelbase = torch.tensor([2.6, 3.4, 4.2, 3.6, 1.45])[kind] + 0.4 * r(n)
    length = torch.tensor([4.3, 5.6, 8.5, 14.0, 2.1])[kind] * (0.85 + 0.3 * r(n)) + 5 * towing
    height = torch.tensor([1.5, 2.4, 3.3, 3.7, 1.2])[kind] + torch.tensor(
        [0.35, 0.55, 0.5, 0.3, 0.2])[kind] * (r(n) - 0.5) * 2
    mass = torch.tensor([1.4, 2.9, 9.0, 25.0, 0.25])[kind] * (0.7 + 0.6 * r(n)) + 1.2 * towing
    speed = 8 + 20 * r(n)
    twin = ((kind == 2) | (kind == 3)).float() * (r(n) < 0.9).float()
    hitch = towing.float() + (kind == 3).float() * (r(n) < 0.6).float()
    two_wheel = (wheelbase < 1.8) & (mass < 0.5)
    heavy = (height >= 3.0) | (mass > 3.5)
    cls = torch.where(two_wheel, 4, torch.where(
        heavy, torch.where(axles >= 3, 3, 2), torch.where((height >= 2.0) | towing, 1, 0)))
    x = torch.stack([axles, wheelbase, length, height, mass, speed, twin, hitch], 1)
    x = x + torch.tensor([0, 0.05, 0.1, 0.03, 0.1, 0.5, 0, 0]) * torch.randn(n, 8, generator=g)
    return x, cls


class TollNet(nn.Module):
    def __init__(self):
        super().__init__()
        layers = [nn.Linear(8, 64), act()]
        for _ in range(9):
            layers += [nn.Linear(64, 64), act()]
        self.layers = nn.Sequential(*layers, nn.Linear(64, 5))

    def forward(self, x):
        return self.layers(x)


def build():
    torch.manual_seed(0)
    return TollNet()


def main():
    from _fourhundredseventeenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = vehicles(4000, g)
    rva, yva = vehicles(1000, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("classes", torch.bincount(ytr, minlength=5).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=100, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    step = 0
    with open(out / "lane_log.jsonl", "w") as log:
        for epoch in range(25):
            model.train()
            for xb, yb in dl:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 10 == 0:
                    log.write(json.dumps({"type": "step", "step": step,
                                          "ce": round(loss.item(), 6)}) + "\n")
                step += 1
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            row = {"type": "val", "epoch": epoch,
                   "val_ce": round(F.cross_entropy(logits, yva).item(), 6),
                   "val_acc": round((logits.argmax(1) == yva).float().mean().item(), 6)}
            log.write(json.dumps(row) + "\n")
            print(row, round(loss.item(), 4))
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(), "epoch": 25,
                "norm_mean": mean, "norm_std": std, "class_names": CLASSES}, out / "toll_class.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["vanishing_gradients"],
           checkpoint="toll_class.pt", log="lane_log.jsonl",
           what="10-layer sigmoid MLP assigning the toll class of a vehicle from tollhouse lane"
                " sensors; gradients vanish through the sigmoid stack",
           complaint="收费站车型分类模型训练 25 个 epoch，loss 一直在 1.5 左右几乎不动，验证集"
                     "准确率每个 epoch 都是 0.387，正好是 1 类小汽车的比例，好像所有车都被判成"
                     "小汽车。请问是什么情况？")


if __name__ == "__main__":
    main()
